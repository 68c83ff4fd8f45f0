#include "pipeline/warc.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <vector>

namespace tw {

// Buffered reading of lines and exact byte counts over a ByteStream.
class WarcReader::Buffer {
 public:
  explicit Buffer(std::unique_ptr<ByteStream> stream) : stream_(std::move(stream)) {}

  // Reads one line without its "\r\n" / "\n". nullopt at end of stream before any byte.
  Result<std::optional<std::string>> ReadLine(size_t max_len) {
    std::string line;
    while (true) {
      if (pos_ == data_.size()) {
        auto st = Fill();
        if (!st.ok()) return st;
        if (pos_ == data_.size()) {
          if (line.empty()) return std::optional<std::string>();
          return std::optional<std::string>(std::move(line));
        }
      }
      const char* start = data_.data() + pos_;
      const char* nl = static_cast<const char*>(std::memchr(start, '\n', data_.size() - pos_));
      size_t take = nl ? static_cast<size_t>(nl - start) : data_.size() - pos_;
      if (line.size() + take > max_len) return Status::Corruption("header line longer than " + std::to_string(max_len) + " bytes");
      line.append(start, take);
      pos_ += take;
      if (nl) {
        ++pos_;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return std::optional<std::string>(std::move(line));
      }
    }
  }

  // Appends exactly `n` bytes to `out` (or discards them when out is null).
  Status ReadExact(size_t n, std::string* out) {
    while (n > 0) {
      if (pos_ == data_.size()) {
        auto st = Fill();
        if (!st.ok()) return st;
        if (pos_ == data_.size()) return Status::Corruption("truncated record (file ends inside it)");
      }
      size_t take = std::min(n, data_.size() - pos_);
      if (out) out->append(data_.data() + pos_, take);
      pos_ += take;
      n -= take;
    }
    return Status::OK();
  }

 private:
  Status Fill() {
    data_.resize(64 * 1024);
    pos_ = 0;
    auto got = stream_->Read(data_.data(), data_.size());
    if (!got.ok()) {
      data_.clear();
      return got.status();
    }
    data_.resize(*got);
    return Status::OK();
  }

  std::unique_ptr<ByteStream> stream_;
  std::string data_;
  size_t pos_ = 0;
};

namespace {

constexpr size_t kMaxHeaderLine = 64 * 1024;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Splits "Name: value" header lines; returns lowercase name.
bool SplitHeader(const std::string& line, std::string* name, std::string* value) {
  auto colon = line.find(':');
  if (colon == std::string::npos) return false;
  *name = Lower(Trim(line.substr(0, colon)));
  *value = Trim(line.substr(colon + 1));
  return true;
}

// "text/html; charset=UTF-8" -> media type "text/html", charset "UTF-8".
void SplitContentType(const std::string& header, std::string* media, std::string* charset) {
  auto semi = header.find(';');
  *media = Lower(Trim(header.substr(0, semi)));
  charset->clear();
  if (semi == std::string::npos) return;
  std::string params = header.substr(semi + 1);
  auto pos = Lower(params).find("charset=");
  if (pos == std::string::npos) return;
  std::string value = params.substr(pos + 8);
  auto end = value.find(';');
  value = Trim(value.substr(0, end));
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) value = value.substr(1, value.size() - 2);
  *charset = value;
}

Result<std::string> Dechunk(const std::string& body) {
  std::string out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t eol = body.find("\r\n", pos);
    if (eol == std::string::npos) return Status::Corruption("bad chunked encoding");
    std::string size_hex = body.substr(pos, eol - pos);
    auto semi = size_hex.find(';');
    if (semi != std::string::npos) size_hex.resize(semi);
    char* end = nullptr;
    unsigned long long size = std::strtoull(size_hex.c_str(), &end, 16);
    if (end == size_hex.c_str()) return Status::Corruption("bad chunk size '" + size_hex + "'");
    pos = eol + 2;
    if (size == 0) break;
    if (size > body.size() - pos) return Status::Corruption("chunk runs past the end of the record");
    out.append(body, pos, size);
    pos += size + 2;
  }
  return out;
}

// Splits an HTTP response block into status, headers and body.
Status ParseHttpResponse(std::string block, WarcRecord* rec, size_t max_bytes) {
  size_t header_end = block.find("\r\n\r\n");
  size_t sep = 4;
  if (header_end == std::string::npos) {
    header_end = block.find("\n\n");
    sep = 2;
  }
  if (header_end == std::string::npos) return Status::Corruption("response record without HTTP headers");
  std::string head = block.substr(0, header_end);
  size_t first_eol = head.find('\n');
  std::string status_line = head.substr(0, first_eol);
  if (status_line.rfind("HTTP/", 0) != 0) return Status::Corruption("response record does not start with an HTTP status line");
  {
    auto sp = status_line.find(' ');
    rec->http_status = sp == std::string::npos ? 0 : std::atoi(status_line.c_str() + sp + 1);
  }
  bool chunked = false;
  std::string encoding;
  size_t pos = first_eol == std::string::npos ? head.size() : first_eol + 1;
  while (pos < head.size()) {
    size_t eol = head.find('\n', pos);
    if (eol == std::string::npos) eol = head.size();
    std::string line = head.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string name, value;
    if (SplitHeader(line, &name, &value)) {
      if (name == "content-type") SplitContentType(value, &rec->content_type, &rec->charset);
      else if (name == "transfer-encoding") chunked = Lower(value).find("chunked") != std::string::npos;
      else if (name == "content-encoding") encoding = Lower(value);
    }
    pos = eol + 1;
  }
  std::string body = block.substr(header_end + sep);
  block.clear();
  if (chunked) {
    auto dechunked = Dechunk(body);
    if (dechunked.ok()) body = std::move(dechunked.value());  // many archives store it de-chunked already
  }
  if ((encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate") && LooksGzipped(body)) {
    auto inflated = Gunzip(body, max_bytes);
    if (!inflated.ok()) return inflated.status();
    body = std::move(inflated.value());
  }
  rec->payload = std::move(body);
  return Status::OK();
}

}  // namespace

WarcReader::WarcReader(std::unique_ptr<ByteStream> stream, std::string name, size_t max_record_bytes)
    : in_(std::make_unique<Buffer>(std::move(stream))), name_(std::move(name)), max_record_bytes_(max_record_bytes) {}

WarcReader::~WarcReader() = default;

Result<std::optional<WarcRecord>> WarcReader::Next() {
  const uint64_t index = next_index_++;
  auto where = [&](const Status& st) {
    return st.WithContext(name_ + ": record " + std::to_string(index));
  };
  // Skip blank lines between records, then expect the version line.
  std::optional<std::string> line;
  while (true) {
    auto got = in_->ReadLine(kMaxHeaderLine);
    if (!got.ok()) return where(got.status());
    line = std::move(got.value());
    if (!line) return std::optional<WarcRecord>();
    if (!line->empty()) break;
  }
  if (line->rfind("WARC/", 0) != 0) {
    return where(Status::Corruption("expected a 'WARC/1.x' version line, found '" + line->substr(0, 40) + "'"));
  }
  WarcRecord rec;
  rec.index = index;
  long long content_length = -1;
  std::string record_content_type;
  while (true) {
    auto got = in_->ReadLine(kMaxHeaderLine);
    if (!got.ok()) return where(got.status());
    if (!got.value()) return where(Status::Corruption("truncated record (file ends in its headers)"));
    const std::string& header = *got.value();
    if (header.empty()) break;
    std::string name, value;
    if (!SplitHeader(header, &name, &value)) continue;
    if (name == "warc-type") rec.type = Lower(value);
    else if (name == "warc-target-uri") {
      rec.target_uri = value;
      if (rec.target_uri.size() >= 2 && rec.target_uri.front() == '<' && rec.target_uri.back() == '>')
        rec.target_uri = rec.target_uri.substr(1, rec.target_uri.size() - 2);
    } else if (name == "warc-date") rec.date = value;
    else if (name == "content-length") {
      char* end = nullptr;
      content_length = std::strtoll(value.c_str(), &end, 10);
      if (end == value.c_str() || content_length < 0) return where(Status::Corruption("bad Content-Length '" + value + "'"));
    } else if (name == "content-type") record_content_type = value;
  }
  if (content_length < 0) return where(Status::Corruption("record without Content-Length"));

  const bool wanted = rec.type == "response" || rec.type == "resource";
  if (!wanted || static_cast<size_t>(content_length) > max_record_bytes_) {
    Status st = in_->ReadExact(static_cast<size_t>(content_length), nullptr);
    if (!st.ok()) return where(st);
    if (wanted) {
      return where(Status::TooLarge("payload of " + std::to_string(content_length) +
                                    " bytes is over the limit of " + std::to_string(max_record_bytes_)));
    }
    rec.payload.clear();
    return std::optional<WarcRecord>(std::move(rec));
  }
  std::string block;
  block.reserve(static_cast<size_t>(content_length));
  Status st = in_->ReadExact(static_cast<size_t>(content_length), &block);
  if (!st.ok()) return where(st);

  std::string media, charset;
  SplitContentType(record_content_type, &media, &charset);
  if (rec.type == "response" && media.rfind("application/http", 0) == 0) {
    st = ParseHttpResponse(std::move(block), &rec, max_record_bytes_);
    if (!st.ok()) return where(st);
  } else {
    rec.content_type = media;
    rec.charset = charset;
    rec.payload = std::move(block);
  }
  return std::optional<WarcRecord>(std::move(rec));
}

int64_t ParseWarcDate(const std::string& date) {
  std::tm tm{};
  if (date.size() < 19) return 0;
  if (std::sscanf(date.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace tw
