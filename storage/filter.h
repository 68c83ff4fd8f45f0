// Which events a query wants (`query` flags, `GET /events` parameters), and checks of the values.
#pragma once

#include <optional>
#include <string>

#include "extractors/extraction.h"
#include "pipeline/status.h"

namespace tw {

struct EventFilter {
  std::string city;                 // any name of either city; case and accents folded
  std::string country;              // ISO alpha-2 of either city, any case
  std::optional<EventType> type;
  std::string since, until;         // YYYY, YYYY-MM or YYYY-MM-DD, inclusive
};

// Checks a date bound as given by a user; the error names `flag` and the accepted forms.
Status ValidateDateBound(const std::string& flag, const std::string& value);
// Checks a country code; the error names `flag` and the accepted form.
Status ValidateCountry(const std::string& flag, const std::string& value);
// Parses an event type; the error names `flag` and the accepted values.
Status ParseTypeFilter(const std::string& flag, const std::string& value, std::optional<EventType>* type);

// Whether an event dated `date` (any precision, empty if undated) lies within [since, until].
// Dates compare at the coarser of the two precisions, so "2019-10" is within since=2019 and within
// since=2019-10-15; an undated event is within no bound.
bool DateWithin(const std::string& date, const std::string& since, const std::string& until);

}  // namespace tw
