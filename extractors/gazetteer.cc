#include "extractors/gazetteer.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "extractors/text.h"

namespace tw {

namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t tab = line.find('\t', pos);
    out.push_back(line.substr(pos, tab == std::string::npos ? std::string::npos : tab - pos));
    if (tab == std::string::npos) break;
    pos = tab + 1;
  }
  return out;
}

size_t WordCount(std::string_view s) {
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    bool w = !std::isspace(static_cast<unsigned char>(c)) && c != '-';
    if (w && !in_word) ++words;
    in_word = w;
  }
  return words;
}

bool StartsUpper(std::string_view s) {
  if (s.empty()) return false;
  unsigned char c = static_cast<unsigned char>(s[0]);
  return std::isupper(c) || c >= 0x80;  // non-ASCII initials (Ž, Ö, ...) count as capitals
}

// Bytes of a possessive ending ("'s", "’s") at the end of `word`, or 0.
size_t PossessiveLength(std::string_view word) {
  if (word.size() > 2 && word.substr(word.size() - 2) == "'s") return 2;
  if (word.size() > 4 && word.substr(word.size() - 4) == "\xE2\x80\x99s") return 4;
  return 0;
}

}  // namespace

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(const std::string& dir) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  Status st = g->LoadPlaces(dir + "/places.tsv");
  if (st.ok()) st = g->LoadCountries(dir + "/countries.tsv");
  if (st.ok()) st = g->LoadCountries(dir + "/country-aliases.tsv");
  if (st.ok()) st = g->LoadStopNames(dir + "/stopnames.txt");
  if (!st.ok()) return st;
  // Best known first: capitals and big cities win ties when the text gives no cue.
  for (auto& [name, ids] : g->by_name_) {
    std::stable_sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
      return g->places_[a].population > g->places_[b].population;
    });
  }
  return g;
}

Status Gazetteer::LoadPlaces(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IOError(path + ": cannot open gazetteer file");
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto f = SplitTabs(line);
    if (f.size() < 9) {
      return Status::InvalidArgument(path + ":" + std::to_string(line_no) + ": expected at least 9 tab-separated columns, found " + std::to_string(f.size()));
    }
    Place p;
    try {
      p.geonameid = std::stoll(f[0]);
      p.population = f[6].empty() ? 0 : std::stoll(f[6]);
      p.lat = std::stod(f[7]);
      p.lon = std::stod(f[8]);
    } catch (const std::exception&) {
      return Status::InvalidArgument(path + ":" + std::to_string(line_no) + ": bad number in geonameid, population or coordinates");
    }
    p.name = f[1];
    p.country = f[3];
    p.admin1 = f[4];
    p.feature = f[5];
    const uint32_t idx = static_cast<uint32_t>(places_.size());
    std::vector<std::string> names = {f[1], f[2]};
    if (f.size() > 9 && !f[9].empty()) {
      std::stringstream alts(f[9]);
      std::string alt;
      while (std::getline(alts, alt, ',')) names.push_back(alt);
    }
    std::unordered_set<std::string> seen;
    for (const auto& name : names) {
      if (name.empty()) continue;
      std::string key = FoldForLookup(name);
      if (!seen.insert(key).second) continue;
      by_name_[key].push_back(idx);
      max_name_words_ = std::max(max_name_words_, WordCount(name));
    }
    places_.push_back(std::move(p));
  }
  max_name_words_ = std::min<size_t>(max_name_words_, 6);
  return Status::OK();
}

Status Gazetteer::LoadCountries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IOError(path + ": cannot open countries file");
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto f = SplitTabs(line);
    if (f.size() < 2 || f[0].size() != 2) {
      return Status::InvalidArgument(path + ":" + std::to_string(line_no) + ": expected 'CC<TAB>name[<TAB>name...]'");
    }
    for (size_t i = 1; i < f.size(); ++i) {
      if (!f[i].empty()) countries_[FoldForLookup(f[i])] = f[0];
    }
  }
  return Status::OK();
}

Status Gazetteer::LoadStopNames(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IOError(path + ": cannot open stop-name list");
  std::string line;
  while (std::getline(in, line)) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (!line.empty()) stop_names_.insert(FoldForLookup(line));
  }
  return Status::OK();
}

std::vector<const Place*> Gazetteer::Lookup(const std::string& folded) const {
  std::vector<const Place*> out;
  auto it = by_name_.find(folded);
  if (it == by_name_.end()) return out;
  for (uint32_t idx : it->second) out.push_back(&places_[idx]);
  return out;
}

std::string Gazetteer::CountryCode(const std::string& folded) const {
  auto it = countries_.find(folded);
  return it == countries_.end() ? std::string() : it->second;
}

std::vector<CityMention> Gazetteer::FindCities(std::string_view text) const {
  const std::vector<TextSpan> words = SplitWords(text);

  // Countries named anywhere in the text are context for every mention.
  std::unordered_map<std::string, int> country_mentions;
  for (size_t i = 0; i < words.size(); ++i) {
    if (!StartsUpper(text.substr(words[i].start, words[i].end - words[i].start))) continue;
    for (size_t n = std::min<size_t>(4, words.size() - i); n >= 1; --n) {
      std::string key = FoldForLookup(text.substr(words[i].start, words[i + n - 1].end - words[i].start));
      std::string cc = CountryCode(key);
      if (!cc.empty()) {
        ++country_mentions[cc];
        break;
      }
    }
  }

  struct Candidate {
    size_t first_word, word_count;
    std::vector<uint32_t> ids;
  };
  std::vector<CityMention> out;
  std::unordered_map<std::string, Place> resolved_in_article;  // folded name -> place chosen earlier
  for (size_t i = 0; i < words.size();) {
    std::string_view first = text.substr(words[i].start, words[i].end - words[i].start);
    if (!StartsUpper(first)) {
      ++i;
      continue;
    }
    // Longest name first.
    size_t matched_words = 0;
    size_t possessive = 0;  // bytes of a trailing "'s" left out of the name
    const std::vector<uint32_t>* ids = nullptr;
    std::string key;
    for (size_t n = std::min(max_name_words_, words.size() - i); n >= 1 && ids == nullptr; --n) {
      std::string_view span = text.substr(words[i].start, words[i + n - 1].end - words[i].start);
      // Names do not run across sentence punctuation.
      if (span.find_first_of(".;:!?\n") != std::string_view::npos) continue;
      // ICU keeps "Darwin's" as one word; the place is "Darwin".
      auto try_name = [&](size_t cut) {
        key = FoldForLookup(span.substr(0, span.size() - cut));
        auto it = by_name_.find(key);
        if (it == by_name_.end()) return;
        ids = &it->second;
        matched_words = n;
        possessive = cut;
      };
      try_name(0);
      if (ids == nullptr && PossessiveLength(span) > 0) try_name(PossessiveLength(span));
    }
    if (ids == nullptr) {
      ++i;
      continue;
    }
    const size_t start = words[i].start, end = words[i + matched_words - 1].end - possessive;
    i += matched_words;
    // A country name is a country, not the small town that shares it.
    const bool is_country_name = !CountryCode(key).empty();

    // Cue right after the name: ", Country".
    std::string cue_country;
    {
      size_t j = end;
      if (j < text.size() && text[j] == ',') {
        ++j;
        while (j < text.size() && text[j] == ' ') ++j;
        for (size_t wi = i; wi < words.size() && wi < i + 4; ++wi) {
          if (words[wi].start < j) continue;
          std::string cand = FoldForLookup(text.substr(j, words[wi].end - j));
          std::string cc = CountryCode(cand);
          if (!cc.empty()) cue_country = cc;
        }
      }
    }

    const Place* best = nullptr;
    if (!cue_country.empty()) {
      for (uint32_t id : *ids) {
        if (places_[id].country == cue_country) {
          best = &places_[id];
          break;
        }
      }
    }
    if (best == nullptr) {
      if (auto prior = resolved_in_article.find(key); prior != resolved_in_article.end()) {
        out.push_back({start, end, std::string(text.substr(start, end - start)), prior->second});
        continue;
      }
      // Common words and ambiguous names need a cue.
      if (stop_names_.count(key) > 0) continue;
      if (is_country_name) {
        const Place& top = places_[ids->front()];
        if (top.feature != "PPLC") continue;
      }
      // Prefer a place in a country the article talks about, then importance and size.
      auto rank = [&](uint32_t id) {
        const Place& p = places_[id];
        auto it = country_mentions.find(p.country);
        int country_hits = it == country_mentions.end() ? 0 : it->second;
        return std::make_tuple(country_hits > 0 ? 1 : 0, p.feature == "PPLC" ? 1 : 0, p.population);
      };
      uint32_t best_id = *std::max_element(ids->begin(), ids->end(), [&](uint32_t a, uint32_t b) { return rank(a) < rank(b); });
      best = &places_[best_id];
    }
    resolved_in_article[key] = *best;
    out.push_back({start, end, std::string(text.substr(start, end - start)), *best});
  }
  return out;
}

}  // namespace tw
