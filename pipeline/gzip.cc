#include "pipeline/gzip.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace tw {

namespace {

constexpr size_t kChunk = 64 * 1024;

class FileStream final : public ByteStream {
 public:
  FileStream(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  ~FileStream() override { std::fclose(file_); }

  Result<size_t> Read(char* buf, size_t n) override {
    size_t got = std::fread(buf, 1, n, file_);
    if (got == 0 && std::ferror(file_)) {
      return Status::IOError(path_ + ": read failed: " + std::strerror(errno));
    }
    return got;
  }

 private:
  std::FILE* file_;
  std::string path_;
};

class StringStream final : public ByteStream {
 public:
  explicit StringStream(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t take = std::min(n, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

// Inflates every gzip member of the underlying stream in turn.
class GzipStream final : public ByteStream {
 public:
  GzipStream(std::unique_ptr<ByteStream> raw, std::string name)
      : raw_(std::move(raw)), name_(std::move(name)), in_(kChunk) {
    std::memset(&z_, 0, sizeof z_);
    // 15 + 32: accept gzip or zlib headers.
    init_ok_ = inflateInit2(&z_, 15 + 32) == Z_OK;
  }
  ~GzipStream() override { inflateEnd(&z_); }

  Result<size_t> Read(char* buf, size_t n) override {
    if (!init_ok_) return Status::IOError(name_ + ": cannot initialise zlib");
    if (n == 0) return size_t{0};
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    while (z_.avail_out > 0) {
      if (z_.avail_in == 0) {
        if (raw_eof_) break;
        auto got = raw_->Read(in_.data(), in_.size());
        if (!got.ok()) return got.status();
        if (*got == 0) {
          raw_eof_ = true;
          break;
        }
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(*got);
        in_member_ = true;
      }
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        inflateReset(&z_);  // another member may follow
        in_member_ = z_.avail_in > 0;
        continue;
      }
      if (rc == Z_BUF_ERROR) continue;  // needs more input
      if (rc != Z_OK) {
        return Status::Corruption(name_ + ": bad gzip data (" + (z_.msg ? z_.msg : "zlib error") + ")");
      }
    }
    size_t produced = n - z_.avail_out;
    if (produced == 0 && raw_eof_ && in_member_) {
      return Status::Corruption(name_ + ": truncated gzip data (unexpected end of file)");
    }
    return produced;
  }

 private:
  std::unique_ptr<ByteStream> raw_;
  std::string name_;
  std::vector<char> in_;
  z_stream z_;
  bool init_ok_ = false;
  bool raw_eof_ = false;
  bool in_member_ = false;  // some input of the current member has been read
};

}  // namespace

Result<std::unique_ptr<ByteStream>> OpenFileStream(const std::string& path, bool gunzip) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  }
  std::unique_ptr<ByteStream> stream = std::make_unique<FileStream>(file, path);
  if (gunzip) stream = std::make_unique<GzipStream>(std::move(stream), path);
  return stream;
}

std::unique_ptr<ByteStream> MemoryStream(std::string bytes) {
  return std::make_unique<StringStream>(std::move(bytes));
}

Result<std::string> ReadAll(ByteStream& stream, size_t max_bytes, const std::string& name) {
  std::string out;
  std::vector<char> buf(kChunk);
  while (true) {
    auto got = stream.Read(buf.data(), buf.size());
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    if (out.size() + *got > max_bytes) {
      return Status::TooLarge(name + ": larger than the limit of " + std::to_string(max_bytes) +
                              " bytes");
    }
    out.append(buf.data(), *got);
  }
  return out;
}

Result<std::string> Gunzip(const std::string& compressed, size_t max_bytes) {
  GzipStream stream(MemoryStream(compressed), "gzip data");
  return ReadAll(stream, max_bytes, "gzip data");
}

bool LooksGzipped(const std::string& bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

}  // namespace tw
