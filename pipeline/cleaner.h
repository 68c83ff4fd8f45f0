// The cleaner stage: a RawDoc (HTML or plain text, any charset) to an Article: main text as
// paragraphs plus metadata (title, publication date, canonical URL, language, author).
#pragma once

#include <memory>

#include "pipeline/status.h"
#include "pipeline/types.h"

namespace tw {

// Per-document ceilings. A document over one is refused with a kTooLarge error naming it and the
// limit; the ingest line counts it as skipped, not failed.
struct CleanerOptions {
  // Main text longer than this: no news article is that long, and extraction time grows with it.
  size_t max_text_bytes = 4u << 20;
  // Markup past this many bytes (after comments, scripts and style sheets are left out) is not
  // parsed (logged): the parser needs several times the page's size in memory, and no article
  // needs more.
  size_t max_html_bytes = 8u << 20;
  // Decoding, parsing and cleaning one document taking longer than this (0: no limit). Checked
  // between the cleaner's steps, so a slow page stops at the next one (the HTML parser's own run
  // cannot be interrupted; max_html_bytes bounds it).
  double max_seconds = 30;
};

class Cleaner {
 public:
  explicit Cleaner(CleanerOptions options = {});
  ~Cleaner();
  Cleaner(const Cleaner&) = delete;
  Cleaner& operator=(const Cleaner&) = delete;

  // Thread-safe: one Cleaner serves every worker. An error names the document (its origin).
  Result<Article> Process(const RawDoc& doc) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw
