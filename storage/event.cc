#include "storage/event.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <tuple>

#include "extractors/text.h"
#include "pipeline/types.h"

namespace tw {

namespace {

double Round(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

}  // namespace

namespace {
constexpr double kWeightScale = 1e9;
}  // namespace

uint64_t ConfidenceWeight(double c) {
  // 1e-4 steps as stored; a certain source (1.0) weighs as 0.9999 so the sum stays finite.
  const double quantized = static_cast<double>(std::lround(std::clamp(c, 0.0, 0.9999) * 10000)) / 10000;
  return static_cast<uint64_t>(std::llround(-std::log1p(-quantized) * kWeightScale));
}

double ConfidenceFromWeight(uint64_t weight_sum) {
  const double c = -std::expm1(-static_cast<double>(weight_sum) / kWeightScale);
  // Rounded to 6 digits first, so the fixed point's last bits never tip the 3-digit rounding.
  return Round(std::min(0.99, Round(c, 6)), 3);
}

uint64_t PlaceKey(const Place& p) {
  if (p.geonameid > 0) return static_cast<uint64_t>(p.geonameid);
  // A place read from the text: by its folded name, so "Heping District" and "HEPING DISTRICT" (or
  // "Gapyeong County" from "Gapyeong-gun") in two articles are one place.
  if (p.from_text) return Hash64(p.country + ":" + NameKey(p.name)) | (uint64_t{1} << 63);
  return Hash64(p.country + ":" + p.name) | (uint64_t{1} << 63);
}

std::string EventId(EventType type, uint64_t place_a, uint64_t place_b, const std::string& date) {
  if (place_b < place_a) std::swap(place_a, place_b);
  return Hex64(Hash64(std::string(EventTypeName(type)) + "|" + std::to_string(place_a) + "|" + std::to_string(place_b) +
                      "|" + date));
}

std::string EventId(EventType type, const Place& a, const Place& b, const std::string& date) {
  return EventId(type, PlaceKey(a), PlaceKey(b), date);
}

void OrderCities(StoredEvent& e) {
  auto order = [](const Place& p) { return std::make_tuple(p.country, p.name, p.geonameid); };
  if (order(e.cities[1]) < order(e.cities[0])) std::swap(e.cities[0], e.cities[1]);
}

bool IsEventId(const std::string& text) {
  return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

StoredEvent EventFromMention(const EventMention& m, const Article& a) {
  StoredEvent e;
  e.type = m.type;
  e.cities[0] = m.first;
  e.cities[1] = m.second;
  OrderCities(e);
  e.date = m.date;
  e.id = EventId(e.type, e.cities[0], e.cities[1], e.date);
  e.sources.push_back({a.id, a.canonical_url.empty() ? a.url : a.canonical_url.value, a.title.value,
                       a.published.value, m.evidence, m.rule, m.confidence, m.date, m.start, m.end});
  e.source_count = 1;
  e.confidence_weight = ConfidenceWeight(m.confidence);
  return e;
}

std::string DumpJson(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json PlaceToJson(const Place& p) {
  nlohmann::json j = {{"name", p.name}, {"country", p.country}};
  if (p.geonameid != 0) j["geonameid"] = p.geonameid;
  if (p.from_text) j["from_text"] = true;
  j["lat"] = Round(p.lat, 4);
  j["lon"] = Round(p.lon, 4);
  return j;
}

nlohmann::json EventToJson(const StoredEvent& e) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : e.sources) {
    sources.push_back({{"url", s.url},
                       {"title", s.title},
                       {"published", s.published.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.published)},
                       {"evidence", s.evidence},
                       {"rule", s.rule},
                       {"article_id", s.article_id}});
  }
  return {{"id", e.id},
          {"type", EventTypeName(e.type)},
          {"cities", {PlaceToJson(e.cities[0]), PlaceToJson(e.cities[1])}},
          {"date", e.date.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.date)},
          {"sources", std::move(sources)},
          {"confidence", e.confidence()}};
}

}  // namespace tw
