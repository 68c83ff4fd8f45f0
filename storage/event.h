// A merged event as stored and as users see it (CONTRACT.md, "Event").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "extractors/extraction.h"

namespace tw {

// One article's report of an event, with the article's url (its canonical url when it has one),
// title and published date.
struct EventSource {
  std::string article_id;
  std::string url;
  std::string title;
  std::string published;
  std::string evidence;
  std::string rule;
  double confidence = 0;
  std::string date;            // the date this article gives (the event keeps the most precise)
  size_t start = 0, end = 0;   // the evidence sentence's bytes in the article text (0, 0: the headline)
};

// The confidence of an event is the noisy-or of its sources' confidences (more independent
// reports, more confidence), kept as a sum of integer weights, -ln(1 - c) in fixed point, so adding
// or removing one source is exact and the result does not depend on the order of the sources.
uint64_t ConfidenceWeight(double source_confidence);
double ConfidenceFromWeight(uint64_t weight_sum);

struct StoredEvent {
  std::string id;
  EventType type = EventType::kAgreement;
  Place cities[2];          // ordered by (country, name) so the pair reads the same however found
  std::string date;         // ISO at its precision, empty if unknown
  // Earliest first (undated last, then by article id): all of them, unless the read was capped
  // (Store::Find's max_sources), which keeps the earliest.
  std::vector<EventSource> sources;
  uint64_t source_count = 0;       // how many sources the event has, capped or not
  uint64_t confidence_weight = 0;  // sum of ConfidenceWeight over all the sources

  // Noisy-or of the sources' confidences, at most 0.99, 3 digits.
  double confidence() const { return ConfidenceFromWeight(confidence_weight); }
};

// A place's identity in ids and keys: its geonameid, or for a place without one a hash of its
// country and name with the top bit set (geonameids never reach it).
uint64_t PlaceKey(const Place& place);

// The stable id of an event: hash of its type, its unordered city pair and its (most precise) date.
// The same sources give the same id in every run and whatever order they are read in.
std::string EventId(EventType type, uint64_t place_a, uint64_t place_b, const std::string& date);
std::string EventId(EventType type, const Place& a, const Place& b, const std::string& date);
// Whether `text` has the form of an event id (16 hex digits).
bool IsEventId(const std::string& text);

// Orders the two cities by (country, name, geonameid), so a pair reads the same however found.
void OrderCities(StoredEvent& event);

// A new event holding one source: `mention` as read from `article`. The city pair is ordered and
// the id computed, so the same event read twice gives the same value.
StoredEvent EventFromMention(const EventMention& mention, const Article& article);

// Contract JSON (CONTRACT.md).
nlohmann::json EventToJson(const StoredEvent& event);
nlohmann::json PlaceToJson(const Place& place);

// JSON text of `j`; invalid UTF-8 in a string becomes U+FFFD instead of an exception.
std::string DumpJson(const nlohmann::json& j, int indent = -1);

}  // namespace tw
