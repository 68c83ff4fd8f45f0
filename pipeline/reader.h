// The reader stage: turns paths (files, folders, .gz, WARC) into RawDocs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/status.h"
#include "pipeline/types.h"

namespace tw {

struct ReaderOptions {
  // Documents (after gunzip) larger than this are skipped with a kTooLarge error naming them.
  size_t max_document_bytes = 64u << 20;
};

// What one Read() call went through.
struct ReaderTotals {
  uint64_t inputs = 0;    // files opened (a WARC counts once)
  uint64_t documents = 0; // documents handed to the sink
  uint64_t failed = 0;    // inputs or records that could not be read (each reported to on_error)
};

class DocumentReader {
 public:
  // Receives each document; returns false to stop reading (e.g. the next queue was closed).
  using Sink = std::function<bool(RawDoc&)>;
  using ErrorFn = std::function<void(const Status&)>;

  explicit DocumentReader(ReaderOptions options) : options_(options) {}

  // Reads every path in order. Folders are walked recursively in name order and only files with a
  // known extension are read (.html .htm .xhtml .txt, each optionally .gz; .warc, .warc.gz); a file
  // named explicitly is read whatever its name. Stops early when `stop` becomes true. Errors are
  // reported per input through `on_error` and reading goes on.
  ReaderTotals Read(const std::vector<std::string>& paths, const Sink& sink, const ErrorFn& on_error,
                    const std::atomic<bool>* stop = nullptr) const;

  // Reads one plain or .gz document file (not WARC) into a RawDoc.
  Result<RawDoc> ReadDocumentFile(const std::string& path) const;

 private:
  bool ReadWarc(const std::string& path, bool gzipped, const Sink& sink, const ErrorFn& on_error,
                const std::atomic<bool>* stop, ReaderTotals& totals) const;
  ReaderOptions options_;
};

// "file:///abs/path" with unsafe characters percent-encoded.
std::string FileUrl(const std::string& absolute_path);

// Guesses a media type from a file name ("x.htm.gz" -> text/html) or, failing that, the bytes.
std::string GuessContentType(const std::string& name, const std::string& bytes);

}  // namespace tw
