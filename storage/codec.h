// A small binary encoding for store records and keys: varints, length-prefixed strings and
// big-endian fixed-width integers (so keys sort numerically). Reading is bounds-checked: a short
// or damaged record makes the reader fail, never read past the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tw {

class Encoder {
 public:
  Encoder& U8(uint8_t v);
  Encoder& Varint(uint64_t v);
  Encoder& Fixed64(uint64_t v);   // big-endian
  Encoder& String(std::string_view s);  // varint length, then the bytes
  Encoder& Raw(std::string_view s);     // the bytes only (fixed-width fields)
  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  // Each returns false (and leaves `ok()` false) when the input is too short or malformed.
  bool U8(uint8_t* v);
  bool Varint(uint64_t* v);
  bool Fixed64(uint64_t* v);
  bool String(std::string* s);
  bool Raw(size_t n, std::string_view* s);
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }

 private:
  bool Fail() { return ok_ = false; }
  std::string_view in_;
  bool ok_ = true;
};

// Big-endian 8 bytes.
std::string BigEndian64(uint64_t v);
uint64_t FromBigEndian64(std::string_view bytes);  // the first 8 bytes; 0 if shorter

// 16 hex digits <-> 8 bytes. False on anything else.
bool HexToBytes64(std::string_view hex, std::string* bytes);
std::string BytesToHex64(std::string_view bytes);

}  // namespace tw
