#include "storage/event.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "pipeline/types.h"

namespace tw {

namespace {

// A place's identity in ids and keys: its geonameid, or its name and country if it has none.
std::string PlaceKey(const Place& p) {
  return p.geonameid != 0 ? std::to_string(p.geonameid) : p.country + ":" + p.name;
}

// The string at `key`, or empty when it is missing, null or not a string.
std::string StringOrEmpty(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double Round(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

}  // namespace

double StoredEvent::confidence() const {
  double miss = 1.0;
  for (const auto& s : sources) miss *= 1.0 - std::clamp(s.confidence, 0.0, 1.0);
  return Round(std::min(0.99, 1.0 - miss), 3);
}

std::string EventId(EventType type, const Place& a, const Place& b, const std::string& date) {
  std::string ka = PlaceKey(a), kb = PlaceKey(b);
  if (kb < ka) std::swap(ka, kb);
  return Hex64(Hash64(std::string(EventTypeName(type)) + "|" + ka + "|" + kb + "|" + date));
}

StoredEvent EventFromMention(const EventMention& m, const Article& a) {
  StoredEvent e;
  e.type = m.type;
  e.cities[0] = m.first;
  e.cities[1] = m.second;
  // Order the pair so the same two places give the same event whichever way a text names them.
  auto order = [](const Place& p) { return std::make_tuple(p.country, p.name, p.geonameid); };
  if (order(e.cities[1]) < order(e.cities[0])) std::swap(e.cities[0], e.cities[1]);
  e.date = m.date;
  e.id = EventId(e.type, e.cities[0], e.cities[1], e.date);
  e.sources.push_back({a.id, a.canonical_url.empty() ? a.url : a.canonical_url.value, a.title.value,
                       a.published.value, m.evidence, m.rule, m.confidence});
  return e;
}

nlohmann::json PlaceToJson(const Place& p, bool with_internal) {
  nlohmann::json j = {{"name", p.name}, {"country", p.country}};
  if (p.geonameid != 0) j["geonameid"] = p.geonameid;
  j["lat"] = Round(p.lat, 4);
  j["lon"] = Round(p.lon, 4);
  if (with_internal) {
    j["admin1"] = p.admin1;
    j["feature"] = p.feature;
    j["population"] = p.population;
  }
  return j;
}

Place PlaceFromJson(const nlohmann::json& j) {
  Place p;
  p.name = j.value("name", "");
  p.country = j.value("country", "");
  p.geonameid = j.value("geonameid", int64_t{0});
  p.lat = j.value("lat", 0.0);
  p.lon = j.value("lon", 0.0);
  p.admin1 = j.value("admin1", "");
  p.feature = j.value("feature", "");
  p.population = j.value("population", int64_t{0});
  return p;
}

nlohmann::json EventToJson(const StoredEvent& e, bool with_internal) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : e.sources) {
    nlohmann::json js = {{"url", s.url},
                         {"title", s.title},
                         {"published", s.published.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.published)},
                         {"evidence", s.evidence},
                         {"rule", s.rule}};
    if (with_internal) {
      js["article_id"] = s.article_id;
      js["confidence"] = s.confidence;
    }
    sources.push_back(std::move(js));
  }
  return {{"id", e.id},
          {"type", EventTypeName(e.type)},
          {"cities", {PlaceToJson(e.cities[0], with_internal), PlaceToJson(e.cities[1], with_internal)}},
          {"date", e.date.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.date)},
          {"sources", std::move(sources)},
          {"confidence", e.confidence()}};
}

bool EventFromJson(const nlohmann::json& j, StoredEvent* e) {
  if (!j.is_object() || !j.contains("cities") || !j["cities"].is_array() || j["cities"].size() != 2) return false;
  e->id = j.value("id", "");
  if (!ParseEventType(j.value("type", ""), &e->type)) return false;
  e->cities[0] = PlaceFromJson(j["cities"][0]);
  e->cities[1] = PlaceFromJson(j["cities"][1]);
  e->date = StringOrEmpty(j, "date");
  e->sources.clear();
  for (const auto& js : j.value("sources", nlohmann::json::array())) {
    EventSource s;
    s.article_id = js.value("article_id", "");
    s.url = js.value("url", "");
    s.title = js.value("title", "");
    s.published = StringOrEmpty(js, "published");
    s.evidence = js.value("evidence", "");
    s.rule = js.value("rule", "");
    s.confidence = js.value("confidence", 0.0);
    e->sources.push_back(std::move(s));
  }
  return true;
}

}  // namespace tw
