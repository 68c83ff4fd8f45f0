// Reading documents for the one-shot commands (clean, extract): the same reader as ingest, with
// "-" meaning one text article on stdin.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pipeline/status.h"
#include "pipeline/types.h"

namespace tw::cli {

// Calls `fn` on every document under `paths` in order. Errors (unreadable input, or a Status
// returned by fn) are logged naming the document. Returns true if any input failed.
bool ForEachDocument(const std::vector<std::string>& paths, const std::function<Status(const RawDoc&)>& fn);

}  // namespace tw::cli
