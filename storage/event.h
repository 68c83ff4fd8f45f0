// A merged event as stored and as users see it (CONTRACT.md, "Event").
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "extractors/extraction.h"

namespace tw {

struct EventSource {
  std::string article_id;
  std::string url;
  std::string title;
  std::string published;
  std::string evidence;
  std::string rule;
  double confidence = 0;
};

struct StoredEvent {
  std::string id;
  EventType type = EventType::kAgreement;
  Place cities[2];          // ordered by (country, name) so the pair reads the same however found
  std::string date;         // ISO at its precision, empty if unknown
  std::vector<EventSource> sources;

  // Noisy-or of the sources' confidences: more independent reports, more confidence.
  double confidence() const;
};

// The stable id of an event: hash of its type, its unordered city pair and its date.
std::string EventId(EventType type, const Place& a, const Place& b, const std::string& date);

// A new event holding one source: `mention` as read from `article`. The city pair is ordered and
// the id computed, so the same event read twice gives the same value.
StoredEvent EventFromMention(const EventMention& mention, const Article& article);

// Contract JSON (CONTRACT.md). `with_internal` adds fields the store needs back (article ids,
// per-source confidence, admin codes).
nlohmann::json EventToJson(const StoredEvent& event, bool with_internal = false);
// Inverse of EventToJson(event, true); false on a malformed record.
bool EventFromJson(const nlohmann::json& j, StoredEvent* event);

nlohmann::json PlaceToJson(const Place& place, bool with_internal = false);
Place PlaceFromJson(const nlohmann::json& j);

}  // namespace tw
