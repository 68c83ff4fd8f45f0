// Reads the records of a WARC file (ISO 28500; .warc or .warc.gz), yielding the HTTP payloads of
// response records (and resource records) as documents.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "pipeline/gzip.h"
#include "pipeline/status.h"

namespace tw {

struct WarcRecord {
  std::string type;            // WARC-Type: response, resource, request, metadata, warcinfo...
  std::string target_uri;      // WARC-Target-URI
  std::string date;            // WARC-Date, as written
  int http_status = 0;         // for response records: the HTTP status code
  std::string content_type;    // the payload's media type (HTTP Content-Type, or the record's)
  std::string charset;         // charset parameter of that Content-Type, if any
  std::string payload;         // the HTTP body (de-chunked, un-gzipped) or the resource bytes
  uint64_t index = 0;          // 0-based position of the record in the file
};

class WarcReader {
 public:
  // `name` is used in messages ("crawl.warc.gz: record 12: ...").
  WarcReader(std::unique_ptr<ByteStream> stream, std::string name, size_t max_record_bytes);
  ~WarcReader();

  // The next record, nullopt at the end of the file. After a kCorruption error the reader cannot
  // go on (the record boundary is lost); a kTooLarge record is skipped and reading can continue.
  Result<std::optional<WarcRecord>> Next();

 private:
  class Buffer;
  std::unique_ptr<Buffer> in_;
  std::string name_;
  size_t max_record_bytes_;
  uint64_t next_index_ = 0;
};

// Parses a WARC-Date (RFC 3339, "2023-07-05T10:00:00Z") to unix seconds; 0 if it cannot.
int64_t ParseWarcDate(const std::string& date);

}  // namespace tw
