#include "pipeline/cli/documents.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <iostream>
#include <iterator>

#include "pipeline/reader.h"

namespace tw::cli {

bool ForEachDocument(const std::vector<std::string>& paths, const std::function<Status(const RawDoc&)>& fn) {
  bool failed = false;
  // A document over a limit is skipped, as ingest does: named, but not a failure.
  auto report = [&](const Status& st) {
    if (st.code() == Status::Code::kTooLarge) {
      spdlog::warn("skipped {}", st.message());
      return;
    }
    spdlog::error("{}", st.message());
    failed = true;
  };
  auto process = [&](const RawDoc& doc) {
    Status st = fn(doc);
    if (!st.ok()) report(st);
  };
  DocumentReader reader{ReaderOptions{}};
  for (const auto& path : paths) {
    if (path == "-") {
      RawDoc doc;
      doc.bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      doc.url = "stdin:";
      doc.origin = "<stdin>";
      doc.content_type = GuessContentType("", doc.bytes);
      doc.fetch_time = static_cast<int64_t>(std::time(nullptr));
      process(doc);
      continue;
    }
    reader.Read(
        {path},
        [&](RawDoc& doc) {
          process(doc);
          return true;
        },
        report);
  }
  return failed;
}

}  // namespace tw::cli
