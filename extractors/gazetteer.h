// The gazetteer layer: place names from rules/gazetteer/ (GeoNames), looked up by folded n-grams
// and resolved to one place by cues in the text, the countries the article mentions, and size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "extractors/extraction.h"
#include "pipeline/status.h"

namespace tw {

class Gazetteer {
 public:
  // Loads places.tsv, countries.tsv and stopnames.txt from `dir`. Errors name the file and line.
  static Result<std::unique_ptr<Gazetteer>> Load(const std::string& dir);

  // Every city mention in `text`, resolved. Thread-safe.
  std::vector<CityMention> FindCities(std::string_view text) const;

  // The places whose folded name is `folded`, best known first (by population).
  std::vector<const Place*> Lookup(const std::string& folded) const;

  // ISO code for a folded country name ("czech republic" -> "CZ"), or empty.
  std::string CountryCode(const std::string& folded) const;

  size_t place_count() const { return places_.size(); }

 private:
  Gazetteer() = default;
  Status LoadPlaces(const std::string& path);
  Status LoadCountries(const std::string& path);
  Status LoadStopNames(const std::string& path);

  std::vector<Place> places_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_name_;  // folded name -> places
  std::unordered_map<std::string, std::string> countries_;          // folded name -> ISO code
  std::unordered_set<std::string> stop_names_;                      // folded names needing a cue
  size_t max_name_words_ = 1;
};

}  // namespace tw
