// Fuzz target: query parameters (storage/query.h) as `query` and the HTTP API receive them: the
// input is "name=value" pairs separated by '&' or newlines (city, country, type, since, until,
// limit, format, width). Each value goes through the same checks the CLI applies; the filter that
// passes is matched against a few events, and the matches are written in every output format.
// Values are raw bytes: a URL or a shell can carry invalid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "extractors/text.h"
#include "pipeline/charset.h"
#include "storage/query.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

tw::Place City(const char* name, const char* country, int64_t geonameid) {
  tw::Place p;
  p.name = name;
  p.country = country;
  p.geonameid = geonameid;
  return p;
}

std::vector<tw::StoredEvent> Events() {
  std::vector<tw::StoredEvent> events;
  const struct {
    tw::EventType type;
    tw::Place a, b;
    const char* date;
  } rows[] = {
      {tw::EventType::kAgreement, City("Lyon", "FR", 2996944), City("Kyōto", "JP", 1857910), "2024-06-27"},
      {tw::EventType::kTermination, City("Praha", "CZ", 3067696), City("Beijing", "CN", 1816670), "2019-10"},
      {tw::EventType::kSuspension, City("Tampere", "FI", 634963), City("Kursk", "RU", 538560), ""},
      {tw::EventType::kProposal, City("Zürich", "CH", 2657896), City("São Paulo", "BR", 3448439), "2020"},
  };
  for (const auto& r : rows) {
    tw::StoredEvent e;
    e.type = r.type;
    e.cities[0] = r.a;
    e.cities[1] = r.b;
    e.date = r.date;
    e.id = tw::EventId(r.type, r.a, r.b, r.date);
    e.sources.push_back({"0123456789abcdef", "https://news.example/a", "A title", "2024-07-01",
                         "The evidence sentence, long enough to be cut in the table view of the query output.",
                         "agreement.signed", 0.9});
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<tw::StoredEvent> events = Events();
  const std::string input = tw::fuzz::Bytes(data, size);

  tw::EventFilter filter;
  tw::OutputFormat format = tw::OutputFormat::kJsonl;
  size_t width = 10;
  bool valid = true;
  size_t pos = 0;
  while (pos <= input.size()) {
    size_t end = input.find_first_of("&\n", pos);
    if (end == std::string::npos) end = input.size();
    const std::string pair = input.substr(pos, end - pos);
    pos = end + 1;
    const size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (name == "city") {
      filter.city = value;
      FUZZ_CHECK(tw::IsValidUtf8(tw::FoldForLookup(value)));  // ICU repairs what it folds
    } else if (name == "country") {
      filter.country = value;
    } else if (name == "type") {
      tw::EventType type;
      if (tw::ParseEventType(value, &type)) filter.type = type;
      else valid = false;
    } else if (name == "since" || name == "until") {
      const tw::Status st = tw::ValidateDateBound("--" + name, value);
      if (!st.ok()) {
        FUZZ_CHECK(st.message().find("--" + name) != std::string::npos);  // names the flag
        valid = false;
      }
      (name == "since" ? filter.since : filter.until) = value;
    } else if (name == "limit") {
      filter.limit = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "format") {
      if (!tw::ParseOutputFormat(value, &format)) valid = false;
    } else if (name == "width") {
      width = std::strtoull(value.c_str(), nullptr, 10) % 200;
    } else if (name == "text") {
      // The table's column fitting, on any text.
      const std::string fitted = tw::FitColumn(value, width);
      const std::string cut = tw::TruncateUtf8(value, width);
      if (tw::IsValidUtf8(value)) FUZZ_CHECK(tw::IsValidUtf8(fitted) && tw::IsValidUtf8(cut));
    }
  }
  if (!valid) return 0;  // the CLI stops here with exit 2, the API with a 400

  std::vector<tw::StoredEvent> matched;
  for (const auto& e : events) {
    if (tw::EventMatches(e, filter)) matched.push_back(e);
  }
  if (filter.limit > 0 && matched.size() > filter.limit) matched.resize(filter.limit);
  for (auto f : {tw::OutputFormat::kTable, tw::OutputFormat::kJsonl, tw::OutputFormat::kJson, format}) {
    std::ostringstream out;
    tw::WriteEvents(out, matched, f);
    FUZZ_CHECK(tw::IsValidUtf8(out.str()));
  }
  return 0;
}
