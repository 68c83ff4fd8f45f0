// Byte streams over files, transparently gunzipping (multi-member gzip, as .warc.gz uses).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "pipeline/status.h"

namespace tw {

// A source of bytes read front to back.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to `n` bytes into `buf`. Returns the count read; 0 means the end of the stream.
  // A truncated or corrupt stream is an error naming the input.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

// Opens `path` for reading. When `gunzip` is true the file is decompressed as it is read (every
// gzip member in turn); a truncated member or bad data is a kCorruption error.
Result<std::unique_ptr<ByteStream>> OpenFileStream(const std::string& path, bool gunzip);

// A stream over bytes already in memory (tests, fetched bodies).
std::unique_ptr<ByteStream> MemoryStream(std::string bytes);

// Reads a stream to the end, failing with kTooLarge past `max_bytes`.
Result<std::string> ReadAll(ByteStream& stream, size_t max_bytes, const std::string& name);

// Decompresses gzip or zlib data in memory, failing with kTooLarge past `max_bytes` of output
// (a gzip bomb stops there).
Result<std::string> Gunzip(const std::string& compressed, size_t max_bytes);

// True when `bytes` starts with the gzip magic number.
bool LooksGzipped(const std::string& bytes);

}  // namespace tw
