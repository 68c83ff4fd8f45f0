#include "storage/query.h"

#include <nlohmann/json.hpp>

namespace tw {

namespace {

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void WriteTable(std::ostream& out, const std::vector<StoredEvent>& events) {
  auto city = [](const Place& p) { return p.name + " (" + p.country + ")"; };
  out << FitColumn("DATE", 10) << "  " << FitColumn("TYPE", 11) << "  " << FitColumn("CITY", 24) << "  "
      << FitColumn("CITY", 24) << "  " << FitColumn("SRC", 3) << "  EVIDENCE\n";
  for (const auto& e : events) {
    out << FitColumn(e.date.empty() ? "-" : e.date, 10) << "  " << FitColumn(EventTypeName(e.type), 11) << "  "
        << FitColumn(city(e.cities[0]), 24) << "  " << FitColumn(city(e.cities[1]), 24) << "  "
        << FitColumn(std::to_string(e.source_count), 3) << "  "
        << (e.sources.empty() ? "" : TruncateUtf8(e.sources[0].evidence, 70)) << '\n';
  }
  out << events.size() << (events.size() == 1 ? " event\n" : " events\n");
}

void WriteCsv(std::ostream& out, const std::vector<StoredEvent>& events) {
  // Numbers as the JSON output writes them, so both formats agree.
  auto number = [](const nlohmann::json& j, const char* key) { return j.contains(key) ? j[key].dump() : std::string(); };
  out << "id,type,date,city1,country1,geonameid1,lat1,lon1,city2,country2,geonameid2,lat2,lon2,"
         "confidence,sources,url,title,published,evidence,rule\r\n";
  for (const auto& e : events) {
    const nlohmann::json j = EventToJson(e);
    std::vector<std::string> row = {e.id, EventTypeName(e.type), e.date};
    for (const auto& c : j["cities"]) {
      row.insert(row.end(), {c["name"].get<std::string>(), c["country"].get<std::string>(), number(c, "geonameid"),
                             number(c, "lat"), number(c, "lon")});
    }
    row.push_back(number(j, "confidence"));
    row.push_back(std::to_string(e.source_count));
    if (e.sources.empty()) {
      row.insert(row.end(), 5, "");
    } else {
      const EventSource& s = e.sources.front();
      row.insert(row.end(), {s.url, s.title, s.published, s.evidence, s.rule});
    }
    for (size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << CsvField(row[i]);
    out << "\r\n";
  }
}

void WriteGeoJson(std::ostream& out, const std::vector<StoredEvent>& events) {
  nlohmann::json features = nlohmann::json::array();
  for (const auto& e : events) {
    nlohmann::json properties = EventToJson(e);
    nlohmann::json line = nlohmann::json::array();  // GeoJSON positions are [lon, lat]
    for (auto& c : properties["cities"]) {
      line.push_back({c["lon"], c["lat"]});
      c.erase("lat");
      c.erase("lon");
    }
    features.push_back({{"type", "Feature"},
                        {"id", e.id},
                        {"geometry", {{"type", "LineString"}, {"coordinates", std::move(line)}}},
                        {"properties", std::move(properties)}});
  }
  const nlohmann::json collection = {{"type", "FeatureCollection"}, {"features", std::move(features)}};
  out << DumpJson(collection, 2) << '\n';
}

}  // namespace

Result<std::vector<StoredEvent>> QueryEvents(const Store& store, const EventFilter& filter, size_t limit, size_t max_sources) {
  auto page = store.Find(filter, FindOptions{0, limit, max_sources, /*count_total=*/false});
  if (!page.ok()) return page.status();
  return std::move(page->events);
}

bool ParseOutputFormat(const std::string& name, OutputFormat* format) {
  if (name == "table") *format = OutputFormat::kTable;
  else if (name == "jsonl") *format = OutputFormat::kJsonl;
  else if (name == "json") *format = OutputFormat::kJson;
  else if (name == "csv") *format = OutputFormat::kCsv;
  else if (name == "geojson") *format = OutputFormat::kGeoJson;
  else return false;
  return true;
}

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
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
      for (const auto& e : events) out << DumpJson(EventToJson(e)) << '\n';
      return;
    case OutputFormat::kJson: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& e : events) arr.push_back(EventToJson(e));
      out << DumpJson(arr, 2) << '\n';
      return;
    }
    case OutputFormat::kTable:
      WriteTable(out, events);
      return;
    case OutputFormat::kCsv:
      WriteCsv(out, events);
      return;
    case OutputFormat::kGeoJson:
      WriteGeoJson(out, events);
      return;
  }
}

}  // namespace tw
