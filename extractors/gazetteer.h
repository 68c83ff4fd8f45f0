// The gazetteer layer: place names from rules/gazetteer/ (GeoNames cities, first-level divisions,
// city districts; country names, demonyms, region abbreviations), looked up by name key, and city
// mentions in text resolved to one place by cues ("Victoria, B.C.", "the Chinese capital Beijing",
// "Xuhui District in Shanghai"), by the countries the article talks about, and by size.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "extractors/extraction.h"
#include "extractors/text.h"
#include "pipeline/status.h"

namespace tw {

class Gazetteer {
 public:
  // Loads the files of rules/gazetteer/ from `dir` (README "Rules" lists them). Errors name the
  // file and line.
  static Result<std::unique_ptr<Gazetteer>> Load(const std::string& dir);
  ~Gazetteer();

  // ---- Names to places (for any module: `query --city` uses these) ----

  // The places known by `name` (any of their names: GeoNames name, ASCII name, alternate names),
  // compared by NameKey (case, accents, hyphens and periods do not matter), most populous first.
  // "praha", "Prague" and "PRAGUE" give Prague. Thread-safe.
  std::vector<const Place*> Lookup(std::string_view name) const;
  // The place with this GeoNames id, or nullptr.
  const Place* FindById(int64_t geonameid) const;
  // Every name the gazetteer knows for the place with this id (empty if unknown).
  std::vector<std::string> NamesOf(int64_t geonameid) const;
  // The names `query --city` finds a place read from the text by: its own, and without its kind
  // word ("Nakuru County" is also "Nakuru").
  std::vector<std::string> NamesOfFromText(const Place& place) const;
  // ISO 3166-1 alpha-2 code for a country name ("Czech Republic", "russia" -> "CZ", "RU"), or empty.
  std::string CountryCode(std::string_view name) const;

  // ISO code of the country a demonym names ("Chinese", "czech" -> "CN", "CZ"), or empty.
  std::string DemonymCountry(std::string_view word) const;

  size_t place_count() const { return places_.size(); }
  size_t name_count() const { return names_.size(); }

  // ---- Text to mentions ----

  // Every city (or district, or province/state) mention in `text`, resolved. `sentences` are the
  // text's sentences (from SentenceSplitter); names and cues never run across them. Thread-safe.
  std::vector<CityMention> FindCities(std::string_view text, const std::vector<TextSpan>& sentences) const;
  // Convenience: splits sentences with ICU's rules only.
  std::vector<CityMention> FindCities(std::string_view text) const;

 private:
  struct Cue;
  struct Match;
  class Finder;
  friend class Finder;

  static constexpr uint32_t kNoPlace = 0xFFFFFFFF;
  // One (name, place) pair. Names are kept as 64-bit hashes of their keys: half a million names
  // load in a fraction of the time and memory of a string map, and a collision is vanishingly rare.
  struct NameRef {
    uint64_t hash;
    uint32_t place;
  };
  static uint64_t KeyHash(std::string_view key);
  // How many words the longest name that opens with this first word has (its name key's KeyHash),
  // 0 when no name does.
  uint8_t MostWordsAfter(uint64_t first_word_hash) const;
  // Indexes of the places named `key` (a NameKey), best known first.
  std::vector<uint32_t> PlacesNamed(std::string_view key) const;
  uint32_t IndexOf(int64_t geonameid) const;

  Gazetteer() = default;
  Status LoadPlaces(const std::string& path, bool required);
  Status IndexPlaces();
  // Tables keyed by name key, looked up with a std::string_view (no string made per lookup).
  struct KeyTextHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  template <typename Value>
  using KeyMap = std::unordered_map<std::string, Value, KeyTextHash, std::equal_to<>>;
  using KeySet = std::unordered_set<std::string, KeyTextHash, std::equal_to<>>;

  Status LoadCodeList(const std::string& path, KeyMap<std::string>* to);
  Status LoadRegionAliases(const std::string& path);
  Status LoadWordList(const std::string& path, KeySet* to);
  Status LoadCueWords(const std::string& path);
  void IndexName(std::string_view name);
  void IndexFirstWords();
  // "Nara-shi" -> "Nara" for a place of a country that writes such endings; else empty.
  std::string WithoutHyphenatedEnding(std::string_view name, std::string_view country) const;

  std::vector<Place> places_;
  std::vector<std::string> alternates_;   // per place: its alternate names, comma-separated
  std::vector<uint32_t> parent_;          // per place: index of the city a district is part of, or kNoPlace
  std::vector<std::pair<uint32_t, int64_t>> parent_ids_;       // while loading: place, parent geonameid
  std::vector<std::pair<std::string, size_t>> lines_;          // while loading: where each place was read
  std::vector<std::pair<int64_t, uint32_t>> by_id_;  // geonameid -> place, sorted
  std::vector<NameRef> names_;  // sorted by hash, then by population (descending)
  // Where the names whose hash starts with each 16-bit prefix begin in names_ (one more entry for
  // the end): a lookup searches a handful of names instead of half a million.
  static constexpr int kBucketBits = 16;
  std::vector<uint32_t> name_buckets_;
  KeyMap<std::string> countries_;                      // name key -> ISO code
  KeyMap<std::string> demonyms_;                       // "chinese" -> "CN"
  KeyMap<std::vector<uint32_t>> regions_;              // name key or alias -> divisions
  std::unordered_map<std::string, uint32_t> by_code_;  // "CA-BC" -> division
  // The first word of every name (the hash of its key) and the most words a name opening with it
  // has. Looked up for every capitalised word of a text, so kept flat: open addressing over a
  // power-of-two table, probed linearly; a slot with 0 words is free.
  struct FirstWord {
    uint64_t hash = 0;
    uint8_t words = 0;
  };
  std::vector<FirstWord> first_words_;
  std::vector<FirstWord> first_words_loaded_;  // while loading: one per name, merged by IndexFirstWords
  KeySet stop_names_;     // always need a cue
  KeySet common_words_;   // need a cue unless alone inside a sentence
  KeySet person_titles_;  // "mr", "mayor": a name follows, not a place
  // Cue words (rules/gazetteer/cues.toml), by name key.
  KeyMap<char> suffixes_;     // "district" -> 'd' (kind of the place)
  KeyMap<char> place_nouns_;  // "city" -> 'c', "capital" -> 'k'
  KeySet directions_;         // "southern", "northeastern"
  KeyMap<char> offices_;      // "lord mayor" -> 'c' ("the Lord Mayor of Cork")
  KeyMap<char> tie_nouns_;    // "sister state" -> 'r' ("Victoria's sister state")
  // Shapes of places the gazetteer lacks (cues.toml [shapes]).
  KeySet shape_suffixes_;  // "district": "Heping District" is a place
  KeySet shape_capitalised_suffixes_;  // "town": only as "Taiji Town"
  KeySet shape_suffix_first_words_;    // "district", "new": the first words of shape_suffixes_
  KeySet shape_not_names_;  // "provincial": "the Provincial Municipality" is no place named Provincial
  KeySet shape_nouns_;     // "town": "the town of Taiji" is a place
  struct ShapeEnding {
    char kind;            // 'c', 'd' or 'r'
    std::string country;  // ISO code: the ending says which country
    std::string word;     // a division's: shown after the name ("Gapyeong County")
  };
  KeyMap<ShapeEnding> shape_endings_;  // "gu" -> district of KR
  std::vector<std::string> hyphenated_endings_;  // "shi", "ku": "Nara-shi" is also "Nara"
  KeySet hyphenated_countries_;
};

}  // namespace tw
