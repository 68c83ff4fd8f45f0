#include "storage/query.h"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "extractors/text.h"

namespace tw {

namespace {

bool ValidDate(const std::string& v) {
  static const RE2 kForm(R"((\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)");
  std::string m, d;
  if (!RE2::FullMatch(v, kForm, static_cast<void*>(nullptr), &m, &d)) return false;
  if (!m.empty() && (std::stoi(m) < 1 || std::stoi(m) > 12)) return false;
  if (!d.empty() && (std::stoi(d) < 1 || std::stoi(d) > 31)) return false;
  return true;
}

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

Status ValidateDateBound(const std::string& flag, const std::string& value) {
  if (value.empty() || ValidDate(value)) return Status::OK();
  return Status::InvalidArgument(flag + " '" + value + "' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2019, 2019-10, 2019-10-07)");
}

bool EventMatches(const StoredEvent& e, const EventFilter& f) {
  if (f.type && e.type != *f.type) return false;
  if (!f.country.empty()) {
    std::string cc = f.country;
    for (auto& c : cc) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (e.cities[0].country != cc && e.cities[1].country != cc) return false;
  }
  if (!f.city.empty()) {
    const std::string want = FoldForLookup(f.city);
    if (FoldForLookup(e.cities[0].name) != want && FoldForLookup(e.cities[1].name) != want) return false;
  }
  if (!f.since.empty() || !f.until.empty()) {
    if (e.date.empty()) return false;
    // Compare at the coarser of the two precisions: "2019-10" is within since=2019 and until=2019.
    if (!f.since.empty() && e.date.substr(0, f.since.size()) < f.since.substr(0, e.date.size())) return false;
    if (!f.until.empty() && e.date.substr(0, f.until.size()) > f.until.substr(0, e.date.size())) return false;
  }
  return true;
}

Result<std::vector<StoredEvent>> QueryEvents(const Store& store, const EventFilter& filter) {
  std::vector<StoredEvent> out;
  Status st = store.ForEachEvent([&](const StoredEvent& e) {
    if (EventMatches(e, filter)) out.push_back(e);
    return true;
  });
  if (!st.ok()) return st;
  std::sort(out.begin(), out.end(), [](const StoredEvent& a, const StoredEvent& b) {
    if (a.date.empty() != b.date.empty()) return b.date.empty();
    if (a.date != b.date) return a.date < b.date;
    return a.id < b.id;
  });
  if (filter.limit > 0 && out.size() > filter.limit) out.resize(filter.limit);
  return out;
}

bool ParseOutputFormat(const std::string& name, OutputFormat* format) {
  if (name == "table") *format = OutputFormat::kTable;
  else if (name == "jsonl") *format = OutputFormat::kJsonl;
  else if (name == "json") *format = OutputFormat::kJson;
  else return false;
  return true;
}

std::string FitColumn(const std::string& text, size_t width) {
  size_t len = Utf8Length(text);
  if (len <= width) return text + std::string(width - len, ' ');
  return TruncateUtf8(text, width);
}

std::string TruncateUtf8(const std::string& text, size_t width) {
  if (width == 0) return {};
  if (Utf8Length(text) <= width) return text;
  std::string out;
  size_t cps = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (cps == width - 1) break;
      ++cps;
    }
    out.push_back(text[i]);
  }
  return out + "…";
}

void WriteEvents(std::ostream& out, const std::vector<StoredEvent>& events, OutputFormat format) {
  switch (format) {
    case OutputFormat::kJsonl:
      for (const auto& e : events) out << EventToJson(e).dump() << '\n';
      return;
    case OutputFormat::kJson: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& e : events) arr.push_back(EventToJson(e));
      out << arr.dump(2) << '\n';
      return;
    }
    case OutputFormat::kTable: {
      auto city = [](const Place& p) { return p.name + " (" + p.country + ")"; };
      out << FitColumn("DATE", 10) << "  " << FitColumn("TYPE", 11) << "  " << FitColumn("CITY", 24) << "  "
          << FitColumn("CITY", 24) << "  " << FitColumn("SRC", 3) << "  EVIDENCE\n";
      for (const auto& e : events) {
        out << FitColumn(e.date.empty() ? "-" : e.date, 10) << "  " << FitColumn(EventTypeName(e.type), 11) << "  "
            << FitColumn(city(e.cities[0]), 24) << "  " << FitColumn(city(e.cities[1]), 24) << "  "
            << FitColumn(std::to_string(e.sources.size()), 3) << "  "
            << (e.sources.empty() ? "" : TruncateUtf8(e.sources[0].evidence, 70)) << '\n';
      }
      out << events.size() << (events.size() == 1 ? " event\n" : " events\n");
      return;
    }
  }
}

}  // namespace tw
