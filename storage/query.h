// Queries over the event store and the output formats of `query` (CONTRACT.md).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "pipeline/status.h"
#include "storage/event.h"
#include "storage/store.h"

namespace tw {

struct EventFilter {
  std::string city;                 // any name of either city; case and accents folded
  std::string country;              // ISO alpha-2 of either city
  std::optional<EventType> type;
  std::string since, until;         // YYYY, YYYY-MM or YYYY-MM-DD, inclusive
  size_t limit = 0;                 // 0: no limit
};

// Checks a date bound as given on the command line; the error names `flag` and the accepted forms.
Status ValidateDateBound(const std::string& flag, const std::string& value);

bool EventMatches(const StoredEvent& event, const EventFilter& filter);

// Matching events sorted by date (undated last), then id.
Result<std::vector<StoredEvent>> QueryEvents(const Store& store, const EventFilter& filter);

enum class OutputFormat { kTable, kJsonl, kJson };
// "table", "jsonl", "json"; false if unknown.
bool ParseOutputFormat(const std::string& name, OutputFormat* format);

void WriteEvents(std::ostream& out, const std::vector<StoredEvent>& events, OutputFormat format);

// Pads or cuts UTF-8 text to `width` columns (code points), for tables.
std::string FitColumn(const std::string& text, size_t width);
// Cuts UTF-8 text to at most `width` code points, ending with "…" when cut.
std::string TruncateUtf8(const std::string& text, size_t width);

}  // namespace tw
