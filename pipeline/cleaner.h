// The cleaner stage: a RawDoc (HTML or plain text, any charset) to an Article: main text as
// paragraphs plus metadata (title, publication date, canonical URL, language, author).
#pragma once

#include <memory>

#include "pipeline/status.h"
#include "pipeline/types.h"

namespace tw {

struct CleanerOptions {
  // Documents whose decoded text is longer than this are cut there (counted in the log).
  size_t max_text_bytes = 4u << 20;
  // Markup past this many bytes (after comments, scripts and style sheets are left out) is not
  // parsed (logged): the parser needs several times the page's size in memory, and no article
  // needs more.
  size_t max_html_bytes = 8u << 20;
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
