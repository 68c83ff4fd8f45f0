#include "storage/codec.h"

namespace tw {

Encoder& Encoder::U8(uint8_t v) {
  out_.push_back(static_cast<char>(v));
  return *this;
}

Encoder& Encoder::Varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
  return *this;
}

Encoder& Encoder::Fixed64(uint64_t v) {
  out_ += BigEndian64(v);
  return *this;
}

Encoder& Encoder::String(std::string_view s) {
  Varint(s.size());
  out_.append(s);
  return *this;
}

Encoder& Encoder::Raw(std::string_view s) {
  out_.append(s);
  return *this;
}

bool Decoder::U8(uint8_t* v) {
  if (!ok_ || in_.empty()) return Fail();
  *v = static_cast<uint8_t>(in_[0]);
  in_.remove_prefix(1);
  return true;
}

bool Decoder::Varint(uint64_t* v) {
  if (!ok_) return false;
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in_.empty()) return Fail();
    const auto byte = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return Fail();  // more than 10 bytes: not a varint
}

bool Decoder::Fixed64(uint64_t* v) {
  std::string_view raw;
  if (!Raw(8, &raw)) return false;
  *v = FromBigEndian64(raw);
  return true;
}

bool Decoder::String(std::string* s) {
  uint64_t n = 0;
  std::string_view raw;
  if (!Varint(&n) || n > in_.size() || !Raw(n, &raw)) return Fail();
  s->assign(raw);
  return true;
}

bool Decoder::Raw(size_t n, std::string_view* s) {
  if (!ok_ || in_.size() < n) return Fail();
  *s = in_.substr(0, n);
  in_.remove_prefix(n);
  return true;
}

std::string BigEndian64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

uint64_t FromBigEndian64(std::string_view bytes) {
  if (bytes.size() < 8) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

bool HexToBytes64(std::string_view hex, std::string* bytes) {
  if (hex.size() != 16) return false;
  uint64_t v = 0;
  for (char c : hex) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *bytes = BigEndian64(v);
  return true;
}

std::string BytesToHex64(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    const auto b = static_cast<uint8_t>(bytes[i]);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

}  // namespace tw
