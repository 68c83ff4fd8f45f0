// Queries over the event store and the output formats of `query` (CONTRACT.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "pipeline/status.h"
#include "storage/event.h"
#include "storage/filter.h"
#include "storage/store.h"

namespace tw {

// Matching events sorted by date (undated last), then id; at most `limit` (0: all), each with its
// earliest `max_sources` sources (0: all).
Result<std::vector<StoredEvent>> QueryEvents(const Store& store, const EventFilter& filter, size_t limit = 0,
                                             size_t max_sources = 0);

enum class OutputFormat { kTable, kJsonl, kJson, kCsv, kGeoJson };
// "table", "jsonl", "json", "csv", "geojson"; false if unknown.
bool ParseOutputFormat(const std::string& name, OutputFormat* format);
inline constexpr const char* kOutputFormats = "table, jsonl, json, csv or geojson";

// table: aligned columns for a terminal, one line per event (its source count and earliest
//        source's sentence), then a count.
// jsonl: one event (CONTRACT.md shape) per line. json: one array of events.
// csv: RFC 4180 (CRLF, quoted where needed), a header row, one row per event with its earliest source.
// geojson: a FeatureCollection, one LineString per event from its first city to its second, the
//          event (without coordinates) as properties.
void WriteEvents(std::ostream& out, const std::vector<StoredEvent>& events, OutputFormat format);

// One CSV field, quoted as RFC 4180 wants when it holds a comma, quote, CR or LF.
std::string CsvField(const std::string& value);

// Pads or cuts UTF-8 text to `width` columns (code points), for tables.
std::string FitColumn(const std::string& text, size_t width);
// Cuts UTF-8 text to at most `width` code points, ending with "…" when cut.
std::string TruncateUtf8(const std::string& text, size_t width);

}  // namespace tw
