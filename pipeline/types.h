// The documents that travel between pipeline stages (see ARCHITECTURE.md, "Types that cross stage
// boundaries"). Plain structs: every stage owns what it receives and moves what it sends on.
#pragma once

#include <cstdint>
#include <string>

namespace tw {

// A document as read from disk or fetched, before any decoding.
struct RawDoc {
  std::string url;           // file:///abs/path, or the http(s) URL it was fetched from
  std::string origin;        // where it came from, for messages: a path, "file.warc#record 3", a source name
  std::string bytes;         // the body exactly as served (already un-gzipped)
  std::string content_type;  // as served ("text/html", "text/plain"), or guessed from the file name
  std::string charset;       // charset declared by the server / WARC headers, empty if none
  int64_t fetch_time = 0;    // unix seconds: file mtime, WARC-Date, or time of fetch
};

// A value with the place it was found, so users can see why the cleaner chose it.
struct SourcedValue {
  std::string value;
  std::string source;  // e.g. "og:title", "json-ld:datePublished", "<title>", "first line"
  bool empty() const { return value.empty(); }
};

// The cleaned article: main text plus metadata.
struct Article {
  std::string id;            // stable id: hash of the url (see ArticleIdForUrl)
  std::string url;           // where it was read from
  SourcedValue canonical_url;
  SourcedValue title;
  SourcedValue published;    // ISO date "YYYY-MM-DD" (or coarser) as the page gives it
  SourcedValue language;     // BCP 47 primary tag, e.g. "en"
  SourcedValue author;
  std::string charset;       // the charset the bytes were decoded from
  std::string charset_source;  // how it was chosen: "bom", "declared", "meta", "detected", "default"
  std::string text;          // main text, UTF-8, paragraphs separated by "\n\n"
  std::string text_source;   // how it was found: "container", "container+hidden", "page",
                             // "json-ld:articleBody", "noframes", "plain text" (see pipeline/main_text.h)
  uint64_t content_hash = 0; // xxh3 of `text`
  int64_t fetch_time = 0;
  std::string origin;        // copied from the RawDoc, for messages
};

// Stable article id for a URL: 16 lowercase hex digits of xxh3-64.
std::string ArticleIdForUrl(const std::string& url);
// xxh3-64 of a byte string.
uint64_t Hash64(const std::string& bytes);
// 16 lowercase hex digits.
std::string Hex64(uint64_t value);

}  // namespace tw
