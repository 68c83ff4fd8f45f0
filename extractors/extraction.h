// What the extraction stage finds in an article: city mentions, date mentions and city-pair events,
// each with byte offsets into the article's cleaned text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/types.h"

namespace tw {

struct Place {
  int64_t geonameid = 0;   // 0 when the gazetteer has no id for it
  std::string name;
  std::string country;     // ISO 3166-1 alpha-2
  std::string admin1;      // first-level division code (GeoNames)
  std::string feature;     // GeoNames feature code: PPL, PPLA, PPLC, ADM1, ...
  int64_t population = 0;
  double lat = 0, lon = 0;
  // Read from the text, not the gazetteer: a place GeoNames lacks, known by its shape and context
  // ("Heping District in Tianjin", "the Japanese town of Taiji", "Gangnam-gu"). No geonameid; the
  // store keys it by country and folded name, so every article's report of it meets.
  bool from_text = false;
};

struct CityMention {
  size_t start = 0, end = 0;  // bytes in Article::text
  std::string text;           // as written
  Place place;
};

struct DateMention {
  size_t start = 0, end = 0;
  std::string text;
  std::string value;       // ISO 8601 at the precision given: YYYY, YYYY-MM, YYYY-MM-DD
  std::string end_value;   // for ranges, else empty
};

enum class EventType { kAgreement, kTermination, kSuspension, kProposal };
const char* EventTypeName(EventType type);
// Parses "agreement" etc.; false if unknown.
bool ParseEventType(const std::string& name, EventType* type);

struct EventMention {
  EventType type = EventType::kAgreement;
  Place first, second;     // the two parties, in the order the rule gives them
  std::string date;        // ISO at the text's precision, empty if none
  std::string evidence;    // the sentence, or the headline (Article::title) for an event read there
  size_t start = 0, end = 0;  // the sentence's bytes in Article::text; 0, 0 for the headline
  std::string rule;        // id of the rule that fired
  double confidence = 0;
};

struct Extraction {
  Article article;
  std::vector<CityMention> cities;
  std::vector<DateMention> dates;
  std::vector<EventMention> events;
};

}  // namespace tw
