#include "pipeline/cli/documents.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <iostream>
#include <iterator>

#include "pipeline/reader.h"

namespace tw::cli {

bool ForEachDocument(const std::vector<std::string>& paths, const std::function<Status(const RawDoc&)>& fn) {
  bool failed = false;
  auto process = [&](const RawDoc& doc) {
    Status st = fn(doc);
    if (!st.ok()) {
      spdlog::error("{}", st.message());
      failed = true;
    }
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
        [&](const Status& st) {
          spdlog::error("{}", st.message());
          failed = true;
        });
  }
  return failed;
}

}  // namespace tw::cli
