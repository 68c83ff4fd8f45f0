// Loading the gazetteer files and the name lookups. Finding mentions in text: city_finder.cc.
#include "extractors/gazetteer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <xxhash.h>

#include "extractors/rule_file.h"
#include "pipeline/gzip.h"

namespace tw {

namespace {

// The gazetteer is tens of MB unpacked; anything far beyond is not a gazetteer.
constexpr size_t kMaxGazetteerBytes = size_t{1} << 30;

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    size_t tab = line.find('\t', pos);
    out.push_back(line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos));
    if (tab == std::string_view::npos) break;
    pos = tab + 1;
  }
  return out;
}

// An empty field is 0; anything but a whole number is an error.
template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty()) {
    *out = 0;
    return true;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string At(const std::string& path, size_t line) { return path + ":" + std::to_string(line) + ": "; }

// Reads a whole text file, gunzipping a .gz one.
Result<std::string> ReadText(const std::string& path) {
  auto stream = OpenFileStream(path, path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0);
  if (!stream.ok()) return stream.status();
  return ReadAll(*stream.value(), kMaxGazetteerBytes, path);
}

// Calls fn(line_number, line) for every line that is neither empty nor a # comment.
template <typename Fn>
Status ForEachDataLine(const std::string& text, Fn&& fn) {
  size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    Status st = fn(line_no, line);
    if (!st.ok()) return st;
  }
  return Status::OK();
}


}  // namespace

Gazetteer::~Gazetteer() = default;

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(const std::string& dir) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  // An analyst may unpack places.tsv.gz to edit it: the plain file then wins.
  const std::string plain = dir + "/places.tsv";
  // The cue words first: they say which name endings a place is known without.
  Status st = g->LoadCueWords(dir + "/cues.toml");
  if (st.ok()) st = std::filesystem::exists(plain) ? g->LoadPlaces(plain, true) : g->LoadPlaces(plain + ".gz", true);
  if (st.ok()) st = g->LoadPlaces(dir + "/extra-places.tsv", false);
  if (st.ok()) st = g->IndexPlaces();
  if (st.ok()) st = g->LoadCodeList(dir + "/countries.tsv", &g->countries_);
  if (st.ok()) st = g->LoadCodeList(dir + "/country-aliases.tsv", &g->countries_);
  if (st.ok()) st = g->LoadCodeList(dir + "/demonyms.tsv", &g->demonyms_);
  if (st.ok()) st = g->LoadRegionAliases(dir + "/region-aliases.tsv");
  if (st.ok()) st = g->LoadWordList(dir + "/stopnames.txt", &g->stop_names_);
  if (st.ok()) st = g->LoadWordList(dir + "/common-words.txt", &g->common_words_);
  if (!st.ok()) return st;
  g->IndexFirstWords();
  return g;
}

void Gazetteer::IndexName(std::string_view name) {
  // The finder looks a name up from its first word, as the text tokenizes it ("L" of "L'Aquila").
  const auto tokens = Tokenize(name);
  if (tokens.empty()) return;
  const auto words = static_cast<uint8_t>(std::min<size_t>(tokens.size(), 8));
  first_words_loaded_.push_back({KeyHash(NameKey(name.substr(tokens[0].start, tokens[0].end - tokens[0].start))), words});
}

void Gazetteer::IndexFirstWords() {
  // One entry per first word, with the most words of any name it opens.
  std::vector<FirstWord>& loaded = first_words_loaded_;
  std::sort(loaded.begin(), loaded.end(), [](const FirstWord& a, const FirstWord& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.words > b.words;
  });
  loaded.erase(std::unique(loaded.begin(), loaded.end(), [](const FirstWord& a, const FirstWord& b) { return a.hash == b.hash; }),
               loaded.end());
  // At most half full: a lookup of a word that opens no name (most words) ends after a probe or two.
  size_t capacity = 1;
  while (capacity < 2 * loaded.size() + 1) capacity *= 2;
  first_words_.assign(capacity, FirstWord{});
  const size_t mask = capacity - 1;
  for (const FirstWord& w : loaded) {
    size_t slot = w.hash & mask;
    while (first_words_[slot].words != 0) slot = (slot + 1) & mask;
    first_words_[slot] = w;
  }
  loaded.clear();
  loaded.shrink_to_fit();
}

uint8_t Gazetteer::MostWordsAfter(uint64_t first_word_hash) const {
  if (first_words_.empty()) return 0;
  const size_t mask = first_words_.size() - 1;
  // The table always has a free slot, which ends every probe.
  for (size_t slot = first_word_hash & mask;; slot = (slot + 1) & mask) {
    const FirstWord& w = first_words_[slot];
    if (w.words == 0) return 0;
    if (w.hash == first_word_hash) return w.words;
  }
}

Status Gazetteer::LoadPlaces(const std::string& path, bool required) {
  if (!required && !std::filesystem::exists(path)) return Status::OK();
  auto text = ReadText(path);
  if (!text.ok()) return Status::IOError(path + ": cannot read gazetteer file: " + text.status().message());
  std::vector<std::pair<uint32_t, int64_t>> parents;  // place index, parent geonameid
  places_.reserve(places_.size() + text.value().size() / 60);
  names_.reserve(names_.size() + text.value().size() / 25);
  first_words_loaded_.reserve(first_words_loaded_.size() + text.value().size() / 25);
  Status st = ForEachDataLine(text.value(), [&](size_t line_no, std::string_view line) -> Status {
    auto f = SplitTabs(line);
    if (f.size() < 9) {
      return Status::InvalidArgument(At(path, line_no) + "expected at least 9 tab-separated columns " +
                                     "(geonameid, name, asciiname, country, admin1, feature, population, lat, lon), found " +
                                     std::to_string(f.size()));
    }
    Place p;
    int64_t parent_id = 0;
    if (!ParseNumber(f[0], &p.geonameid) || !ParseNumber(f[6], &p.population) || !ParseNumber(f[7], &p.lat) ||
        !ParseNumber(f[8], &p.lon) || (f.size() > 11 && !ParseNumber(f[11], &parent_id))) {
      return Status::InvalidArgument(At(path, line_no) + "bad number in geonameid, population, lat, lon or parent");
    }
    if (p.geonameid <= 0 || f[1].empty() || f[3].size() != 2) {
      return Status::InvalidArgument(At(path, line_no) + "a place needs a positive geonameid, a name and a two-letter country");
    }
    p.name = std::string(f[1]);
    p.country = std::string(f[3]);
    // "Nara-shi" is shown as "Nara" and known by both names.
    std::string alts_with_full_name(f.size() > 9 ? f[9] : std::string_view());
    if (std::string stem = WithoutHyphenatedEnding(f[1], f[3]); !stem.empty()) {
      alts_with_full_name += (alts_with_full_name.empty() ? "" : ",") + p.name;
      p.name = std::move(stem);
    }
    p.admin1 = std::string(f[4]);
    p.feature = std::string(f[5]);
    const auto idx = static_cast<uint32_t>(places_.size());
    by_id_.emplace_back(p.geonameid, idx);
    lines_.emplace_back(path, line_no);
    std::vector<std::string_view> names = {p.name, f[1], f[2]};
    const std::string_view alts = alts_with_full_name;
    for (size_t pos = 0; pos < alts.size();) {
      size_t comma = alts.find(',', pos);
      if (comma == std::string_view::npos) comma = alts.size();
      names.push_back(alts.substr(pos, comma - pos));
      pos = comma + 1;
    }
    std::vector<std::string> keys;
    std::deque<std::string> stems;  // views into it stay valid as it grows
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string_view name = names[i];
      if (name.empty()) continue;
      // Alternate names with an ending are known without it too ("Gyeongsangbuk-do").
      if (i > 0 && !WithoutHyphenatedEnding(name, p.country).empty()) {
        stems.push_back(WithoutHyphenatedEnding(name, p.country));
        names.push_back(stems.back());
      }
      std::string key = NameKey(name);
      if (key.empty() || std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
      names_.push_back({KeyHash(key), idx});
      IndexName(name);
      keys.push_back(std::move(key));
    }
    if (f.size() > 10 && !f[10].empty()) {
      const std::string code(f[10]);
      by_code_[code] = idx;
      for (const auto& key : keys) regions_[key].push_back(idx);
    }
    if (parent_id != 0) parents.emplace_back(idx, parent_id);
    alternates_.emplace_back(alts_with_full_name);
    places_.push_back(std::move(p));
    return Status::OK();
  });
  if (!st.ok()) return st;
  parent_ids_.insert(parent_ids_.end(), parents.begin(), parents.end());
  return Status::OK();
}

Status Gazetteer::IndexPlaces() {
  std::sort(by_id_.begin(), by_id_.end());
  for (size_t i = 1; i < by_id_.size(); ++i) {
    if (by_id_[i].first == by_id_[i - 1].first) {
      const auto& [path, line] = lines_[by_id_[i].second];
      return Status::InvalidArgument(At(path, line) + "geonameid " + std::to_string(by_id_[i].first) + " is listed twice");
    }
  }
  lines_.clear();
  lines_.shrink_to_fit();
  parent_.assign(places_.size(), kNoPlace);
  for (auto [idx, parent_id] : parent_ids_) parent_[idx] = IndexOf(parent_id);
  parent_ids_.clear();
  // Best known first: when the text gives no cue, big places win ties. A division's population is
  // the sum of its places'; a tenth of it keeps the city of Prague before the region of Prague.
  auto weight = [&](uint32_t idx) {
    const Place& p = places_[idx];
    return p.feature == "ADM1" ? p.population / 10 : p.population;
  };
  std::sort(names_.begin(), names_.end(), [&](const NameRef& a, const NameRef& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    return weight(a.place) > weight(b.place);
  });
  name_buckets_.assign((size_t{1} << kBucketBits) + 1, 0);
  size_t at = 0;
  for (size_t bucket = 0; bucket < (size_t{1} << kBucketBits); ++bucket) {
    name_buckets_[bucket] = static_cast<uint32_t>(at);
    while (at < names_.size() && (names_[at].hash >> (64 - kBucketBits)) == bucket) ++at;
  }
  name_buckets_.back() = static_cast<uint32_t>(names_.size());
  return Status::OK();
}

uint64_t Gazetteer::KeyHash(std::string_view key) { return XXH3_64bits(key.data(), key.size()); }

uint32_t Gazetteer::IndexOf(int64_t geonameid) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), std::make_pair(geonameid, uint32_t{0}));
  return it != by_id_.end() && it->first == geonameid ? it->second : kNoPlace;
}

std::vector<uint32_t> Gazetteer::PlacesNamed(std::string_view key) const {
  std::vector<uint32_t> out;
  const uint64_t hash = KeyHash(key);
  if (name_buckets_.empty()) return out;  // not indexed: no names
  const size_t bucket = hash >> (64 - kBucketBits);
  const auto end = names_.begin() + name_buckets_[bucket + 1];
  auto it = std::lower_bound(names_.begin() + name_buckets_[bucket], end, hash, [](const NameRef& r, uint64_t h) { return r.hash < h; });
  for (; it != end && it->hash == hash; ++it) out.push_back(it->place);
  return out;
}

Status Gazetteer::LoadCodeList(const std::string& path, KeyMap<std::string>* to) {
  auto text = ReadText(path);
  if (!text.ok()) return Status::IOError(path + ": cannot open file: " + text.status().message());
  return ForEachDataLine(text.value(), [&](size_t line_no, std::string_view line) -> Status {
    auto f = SplitTabs(line);
    if (f.size() < 2 || f[0].size() != 2) return Status::InvalidArgument(At(path, line_no) + "expected 'CC<TAB>word[<TAB>word...]'");
    for (size_t i = 1; i < f.size(); ++i) {
      if (f[i].empty()) continue;
      std::string key = NameKey(f[i]);
      IndexName(f[i]);
      (*to)[std::move(key)] = std::string(f[0]);
    }
    return Status::OK();
  });
}

Status Gazetteer::LoadRegionAliases(const std::string& path) {
  auto text = ReadText(path);
  if (!text.ok()) return Status::IOError(path + ": cannot open region aliases: " + text.status().message());
  return ForEachDataLine(text.value(), [&](size_t line_no, std::string_view line) -> Status {
    auto f = SplitTabs(line);
    if (f.size() < 2) return Status::InvalidArgument(At(path, line_no) + "expected 'CC-REGION<TAB>alias[<TAB>alias...]'");
    auto division = by_code_.find(std::string(f[0]));
    if (division == by_code_.end()) {
      return Status::InvalidArgument(At(path, line_no) + "no first-level division has the code '" + std::string(f[0]) + "'");
    }
    for (size_t i = 1; i < f.size(); ++i) {
      if (f[i].empty()) continue;
      std::string key = NameKey(f[i]);
      IndexName(f[i]);
      auto& list = regions_[key];
      if (std::find(list.begin(), list.end(), division->second) == list.end()) list.push_back(division->second);
    }
    return Status::OK();
  });
}

Status Gazetteer::LoadWordList(const std::string& path, KeySet* to) {
  auto text = ReadText(path);
  if (!text.ok()) return Status::IOError(path + ": cannot open word list: " + text.status().message());
  return ForEachDataLine(text.value(), [&](size_t, std::string_view line) -> Status {
    std::string word(line.substr(0, line.find('#')));
    while (!word.empty() && std::isspace(static_cast<unsigned char>(word.back()))) word.pop_back();
    if (!word.empty()) to->insert(NameKey(word));
    return Status::OK();
  });
}

Status Gazetteer::LoadCueWords(const std::string& path) {
  auto root = ParseRuleFile(path);
  if (!root.ok()) return root.status();
  auto read_list = [&](const std::string& name, auto&& fn) {
    return ForEachRuleString(root.value().at_path(name).node(), path, name, true,
                             [&](const std::string& word) { fn(NameKey(word)); });
  };
  struct Kind {
    const char* name;
    KeyMap<char>* table;
    char kind;
  };
  for (const Kind& k : {Kind{"suffixes.city", &suffixes_, 'c'}, Kind{"suffixes.district", &suffixes_, 'd'},
                        Kind{"suffixes.division", &suffixes_, 'r'}, Kind{"place_nouns.city", &place_nouns_, 'c'},
                        Kind{"place_nouns.capital", &place_nouns_, 'k'}, Kind{"place_nouns.division", &place_nouns_, 'r'},
                        Kind{"place_nouns.district", &place_nouns_, 'd'}}) {
    Status st = read_list(k.name, [&](std::string key) { (*k.table)[std::move(key)] = k.kind; });
    if (!st.ok()) return st;
  }
  Status st = read_list("place_nouns.directions", [&](std::string key) { directions_.insert(std::move(key)); });
  if (st.ok()) st = read_list("people.titles", [&](std::string key) { person_titles_.insert(std::move(key)); });
  if (!st.ok()) return st;
  // Optional lists: without them, no such cue.
  auto read_optional = [&](const std::string& name, auto&& fn) {
    return ForEachRuleString(root.value().at_path(name).node(), path, name, false, [&](const std::string& word) { fn(word); });
  };
  for (const Kind& k : {Kind{"offices.city", &offices_, 'c'}, Kind{"offices.division", &offices_, 'r'},
                        Kind{"ties.city", &tie_nouns_, 'c'}, Kind{"ties.division", &tie_nouns_, 'r'}}) {
    st = read_optional(k.name, [&](const std::string& word) { (*k.table)[NameKey(word)] = k.kind; });
    if (!st.ok()) return st;
  }
  // Shapes of places the gazetteer lacks: optional, none without them.
  if (st.ok()) {
    st = read_optional("shapes.suffixes", [&](const std::string& word) {
      const std::string key = NameKey(word);
      shape_suffixes_.insert(key);
      shape_suffix_first_words_.insert(key.substr(0, key.find(' ')));
    });
  }
  if (st.ok()) {
    st = read_optional("shapes.capitalised_suffixes", [&](const std::string& word) { shape_capitalised_suffixes_.insert(NameKey(word)); });
  }
  if (st.ok()) st = read_optional("shapes.not_names", [&](const std::string& word) { shape_not_names_.insert(NameKey(word)); });
  if (st.ok()) st = read_optional("shapes.nouns", [&](const std::string& word) { shape_nouns_.insert(NameKey(word)); });
  for (const auto& [kind, name] : {std::pair{'c', "city"}, std::pair{'d', "district"}, std::pair{'r', "division"}}) {
    if (!st.ok()) break;
    const std::string what = std::string("shapes.endings.") + name;
    const toml::node* node = root.value().at_path(what).node();
    Status bad = Status::OK();
    st = ForEachRuleString(node, path, what, false, [&](const std::string& entry) {
      // "gu:KR", "gun:KR:County"
      const size_t colon = entry.find(':');
      const size_t second = colon == std::string::npos ? std::string::npos : entry.find(':', colon + 1);
      const std::string cc = colon == std::string::npos ? "" : entry.substr(colon + 1, second == std::string::npos ? std::string::npos : second - colon - 1);
      if (colon == 0 || cc.size() != 2) {
        if (bad.ok()) bad = Status::InvalidArgument(RuleWhere(path, *node) + ": " + what + ": \"" + entry + "\" is not ENDING:COUNTRY[:Word]");
        return;
      }
      shape_endings_[NameKey(entry.substr(0, colon))] = {kind, cc, second == std::string::npos ? "" : entry.substr(second + 1)};
    });
    if (st.ok()) st = bad;
  }
  if (!st.ok()) return st;
  st = read_optional("suffixes.hyphenated", [&](const std::string& word) { hyphenated_endings_.push_back(NameKey(word)); });
  if (st.ok()) st = read_optional("suffixes.hyphenated_countries", [&](const std::string& cc) { hyphenated_countries_.insert(cc); });
  return st;
}

std::string Gazetteer::WithoutHyphenatedEnding(std::string_view name, std::string_view country) const {
  if (hyphenated_countries_.count(country) == 0) return {};
  const size_t hyphen = name.rfind('-');
  if (hyphen == std::string_view::npos || hyphen < 3) return {};
  const std::string ending = NameKey(name.substr(hyphen + 1));
  if (std::find(hyphenated_endings_.begin(), hyphenated_endings_.end(), ending) == hyphenated_endings_.end()) return {};
  return std::string(name.substr(0, hyphen));
}

std::vector<const Place*> Gazetteer::Lookup(std::string_view name) const {
  std::vector<const Place*> out;
  for (uint32_t idx : PlacesNamed(NameKey(name))) out.push_back(&places_[idx]);
  return out;
}

const Place* Gazetteer::FindById(int64_t geonameid) const {
  const uint32_t idx = IndexOf(geonameid);
  return idx == kNoPlace ? nullptr : &places_[idx];
}

std::vector<std::string> Gazetteer::NamesOf(int64_t geonameid) const {
  std::vector<std::string> out;
  const uint32_t idx = IndexOf(geonameid);
  if (idx == kNoPlace) return out;
  out.push_back(places_[idx].name);
  const std::string& alts = alternates_[idx];
  for (size_t pos = 0; pos < alts.size();) {
    size_t comma = alts.find(',', pos);
    if (comma == std::string::npos) comma = alts.size();
    if (comma > pos) out.push_back(alts.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

std::vector<std::string> Gazetteer::NamesOfFromText(const Place& place) const {
  std::vector<std::string> out{place.name};
  const size_t space = place.name.rfind(' ');
  if (space != std::string::npos && space > 0 && suffixes_.count(NameKey(place.name.substr(space + 1))) > 0) {
    out.push_back(place.name.substr(0, space));
  }
  return out;
}

std::string Gazetteer::CountryCode(std::string_view name) const {
  auto it = countries_.find(NameKey(name));
  return it == countries_.end() ? std::string() : it->second;
}

std::string Gazetteer::DemonymCountry(std::string_view word) const {
  auto it = demonyms_.find(NameKey(word));
  return it == demonyms_.end() ? std::string() : it->second;
}

}  // namespace tw
