// Gazetteer::FindCities: city mentions in text, resolved to places.
//
// 1. Names: at every capitalised word, the longest run of words whose name key is a place, a
//    country or a demonym (sentences bound every run).
// 2. Cues around each place name: a suffix ("Irvine County", "Xuhui District"), a noun or a country
//    before it ("the Chinese capital Beijing", "China's eastern Jiangsu Province", "the city of
//    Reading"), a country or region after it (", New Zealand", ", B.C.", " in Shanghai", "(Japan)"),
//    or an apposition naming one ("Kaohsiung, a city in southern Taiwan").
// 3. Gates: names that are common words, parts of longer capitalised names (people, companies),
//    after a person's title, or in a headline need a cue; stop names always do.
// 4. Resolution: a cue filters the candidates; then the countries the sentence and the article talk
//    about, the kind of place the cue asks for, the capital, and population rank them. A name
//    resolved with a cue stands for the same place everywhere in the article.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "extractors/gazetteer.h"

namespace tw {

namespace {

constexpr size_t kNoToken = static_cast<size_t>(-1);
// Places this big stay places inside longer capitalised names ("Shanghai Municipal Government").
constexpr int64_t kProminent = 100000;
// A common-word name at the start of a sentence is a place only this big (or a capital).
constexpr int64_t kBigCity = 200000;
// A common-word name alone inside a sentence ("flew to Nice") is a place only this big or more.
constexpr int64_t kCommonWordMinimum = 15000;
// Places smaller than this need a cue or their country named in the article ("Baltic" is a town in
// South Dakota, but "the Baltic states" in an article about Estonia is not about it).
constexpr int64_t kSmallPlace = 15000;
// How far an apposition after a name is read for a country or region.
constexpr size_t kAppositionWords = 14;

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// What stands between two tokens of one name: spaces, a hyphen, a period ("St. Petersburg"), an
// apostrophe ("Xi'an"), nothing else, and not much of it.
bool JoinsName(std::string_view gap) {
  if (gap.empty() || gap.size() > 4) return false;
  int spaces = 0;
  for (size_t i = 0; i < gap.size(); ++i) {
    const char c = gap[i];
    if (c == ' ') {
      ++spaces;
    } else if (gap.substr(i, 3) == "\xE2\x80\x99") {  // a curly apostrophe
      i += 2;
    } else if (c != '-' && c != '.' && c != '\'') {
      return false;
    }
  }
  return spaces <= 3;  // a no-break space may come as several (WithAsciiSpaces)
}

// True when `gap` is only spaces (one word follows the other in a phrase).
bool JustSpace(std::string_view gap) {
  if (gap.empty() || gap.size() > 3) return false;
  return std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' '; });
}

bool IsPossessiveGap(std::string_view gap) { return gap == "'" || gap == "\xE2\x80\x99"; }

// Sets the kind of a phrase found in a word -> kind table; sets of words have no kind.
template <typename Table, typename Iterator>
void TakeKind(const Iterator& it, char* kind) {
  if constexpr (requires { typename Table::mapped_type; }) *kind = it->second;
}

}  // namespace

struct Gazetteer::Cue {
  // Where the place must be, any of these: a country, a division of one, or a city it is part of.
  struct Where {
    std::string country;
    std::string admin1;
    uint32_t city = kNoPlace;
  };
  std::vector<Where> where;
  char kind = 0;            // 'c' city, 'd' district, 'r' division, 'k' capital (from words around)
  bool place_word = false;  // a word around it says it is a place ("the city of Reading")
  bool from_apposition = false;  // `where` came from an apposition alone (a weaker cue)
};

struct Gazetteer::Match {
  size_t start = 0, end = 0;        // bytes of the mention, suffix included
  size_t first = 0, last = 0;       // tokens of the name itself: [first, last)
  size_t next = 0;                  // the first token after the mention (after its suffix)
  size_t sentence = 0;
  std::string key;
  std::vector<uint32_t> ids;        // candidates
  Cue cue;
  bool needs_cue = false;           // a gate says: only with a cue
  bool has_suffix = false;          // "County", "District" after the name
  int container = -1;               // the match naming the city it is a district of ("Kyiv's")
  // The match of the city or region it lies in, named with it ("Seoul's Gangnam District", "the
  // Obolon district of Kyiv", "Heping District in Tianjin"): a cue, no party, once it resolved.
  int says_where = -1;
  uint32_t chosen = kNoPlace;
  std::optional<Place> unlisted;    // a place the gazetteer lacks, known from its cues alone
  // A kind word of cues.toml [shapes] makes it a place the gazetteer may lack ("Heping District",
  // "the town of Taiji", "Gangnam-gu"): of this kind ('c', 'd', 'r').
  char shape = 0;
  const ShapeEnding* ending = nullptr;  // the hyphenated ending that gave the shape
  bool cue_missed = false;              // its cue places it where no candidate lies
  std::vector<uint32_t> namesakes;      // the cities a division suffix ruled out ("Iloilo Province")
};

// One FindCities call: the text's tokens and what was found in them.
class Gazetteer::Finder {
 public:
  Finder(const Gazetteer& g, std::string_view text, const std::vector<TextSpan>& sentences)
      : g_(g), text_(text), sentences_(sentences), tokens_(Tokenize(text)), folded_(tokens_.size()) {}

  std::vector<CityMention> Run() {
    AssignSentences();
    FindNames();
    FindUnlisted();
    for (auto& m : matches_) {
      ReadSuffix(m);
      ReadCueBefore(m);
      ReadCueAfter(m);
      Gate(m);
    }
    for (auto& m : matches_) {
      if (cue_token_[m.first]) {
        m.ids.clear();
        m.unlisted.reset();
        m.shape = 0;
      }
    }
    CountContext();
    Resolve();
    MakeUnlistedDistricts();
    MakeFromShape();
    SpreadFromShape();
    // "Seoul's Gangnam District signed ...", "The Shevchenkivskyi district of Kyiv and ... signed":
    // the city named with a district only says where it lies; the district is the party.
    std::vector<bool> only_cue(matches_.size(), false);
    for (const auto& m : matches_) {
      if (m.says_where >= 0 && m.cue.kind == 'd' && (m.chosen != kNoPlace || m.unlisted)) only_cue[m.says_where] = true;
    }
    std::vector<CityMention> out;
    for (size_t i = 0; i < matches_.size(); ++i) {
      const Match& m = matches_[i];
      if ((m.chosen == kNoPlace && !m.unlisted) || only_cue[i]) continue;
      out.push_back({m.start, m.end, std::string(text_.substr(m.start, m.end - m.start)), m.unlisted ? *m.unlisted : Shown(m)});
    }
    std::sort(out.begin(), out.end(), [](const CityMention& a, const CityMention& b) { return a.start < b.start; });
    return out;
  }

 private:
  // A country or demonym found in the text: context, and a cue for places around it.
  struct CountryWord {
    size_t first, last;  // tokens
    std::string country;
    bool demonym;
  };

  std::string_view Tok(size_t i) const { return text_.substr(tokens_[i].start, tokens_[i].end - tokens_[i].start); }
  std::string_view Gap(size_t i) const {  // between token i-1 and token i
    return text_.substr(tokens_[i - 1].end, tokens_[i].start - tokens_[i - 1].end);
  }
  // The NameKey of tokens [first, last), from each token and gap folded once per text: valid until
  // the next call.
  std::string_view Key(size_t first, size_t last) const {
    key_.clear();
    for (size_t t = first; t < last; ++t) {
      if (t > first) AppendGap(t);
      AppendFoldedToNameKey(Folded(t), &key_);
    }
    TrimNameKey(&key_);
    return key_;
  }
  std::string_view Folded(size_t t) const {
    if (!folded_[t]) folded_[t] = FoldForLookup(Tok(t));
    return *folded_[t];
  }
  void AppendGap(size_t t) const {  // between token t-1 and token t, to key_
    const std::string_view gap = Gap(t);
    // No letter is in a gap, so in ASCII it is its own folding.
    const bool ascii = std::all_of(gap.begin(), gap.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
      AppendFoldedToNameKey(gap, &key_);
    } else {
      AppendFoldedToNameKey(FoldForLookup(gap), &key_);
    }
  }
  bool SameSentence(size_t a, size_t b) const { return sentence_of_[a] != kNoToken && sentence_of_[a] == sentence_of_[b]; }
  bool Joined(size_t first, size_t last) const {
    for (size_t t = first + 1; t < last; ++t) {
      if (!JoinsName(Gap(t))) return false;
      if (IsPossessiveGap(Gap(t)) && Tok(t) == "s") return false;  // "Victoria's" is Victoria
    }
    return true;
  }

  void AssignSentences() {
    sentence_of_.assign(tokens_.size(), kNoToken);
    sentence_first_.assign(sentences_.size(), kNoToken);
    size_t s = 0;
    for (size_t t = 0; t < tokens_.size(); ++t) {
      while (s < sentences_.size() && sentences_[s].end <= tokens_[t].start) ++s;
      if (s == sentences_.size()) break;
      if (tokens_[t].start >= sentences_[s].start) {
        sentence_of_[t] = s;
        if (sentence_first_[s] == kNoToken) sentence_first_[s] = t;
      }
    }
    // Headlines and all-caps lines: capitals there say nothing about names.
    title_case_.assign(sentences_.size(), false);
    std::vector<int> words(sentences_.size(), 0), caps(sentences_.size(), 0);
    for (size_t t = 0; t < tokens_.size(); ++t) {
      if (sentence_of_[t] == kNoToken || tokens_[t].numeric) continue;
      ++words[sentence_of_[t]];
      if (tokens_[t].upper_initial) ++caps[sentence_of_[t]];
    }
    for (size_t i = 0; i < sentences_.size(); ++i) title_case_[i] = words[i] >= 4 && caps[i] * 10 >= words[i] * 7;
  }

  void FindNames() {
    country_at_.assign(tokens_.size(), -1);
    match_at_.assign(tokens_.size(), -1);
    cue_token_.assign(tokens_.size(), false);
    for (size_t i = 0; i < tokens_.size();) {
      if (!tokens_[i].upper_initial || sentence_of_[i] == kNoToken) {
        ++i;
        continue;
      }
      const uint8_t most_words = g_.MostWordsAfter(KeyHash(Key(i, i + 1)));
      if (most_words == 0) {
        ++i;
        continue;
      }
      size_t n = std::min<size_t>(most_words, tokens_.size() - i);
      bool found = false;
      for (; n >= 1 && !found; --n) {
        const size_t last = i + n;
        if (!SameSentence(i, last - 1) || !Joined(i, last)) continue;
        // "Rio de Janeiro", but not "Twin city": a name ends with a capitalised word, or with an
        // ending joined by a hyphen ("Gyeongsangbuk-do", "Nara-shi").
        if (n > 1 && !tokens_[last - 1].upper_initial && !tokens_[last - 1].numeric && Gap(last - 1) != "-") continue;
        found = TakeName(i, last);
        if (found) i = last;
      }
      if (!found) ++i;
    }
  }

  // Places the gazetteer lacks, known from their cues alone: a capitalised name that is no known
  // place, no country and no common word, with a country after it ("Shinagawa, Japan;" — one word,
  // or words joined by hyphens, "Cap-Haïtien") or a district suffix and its city ("Kyiv's Obolon
  // district", "the Obolon district of Kyiv": see MakeUnlistedDistricts). Not at the start of a
  // sentence, in a headline, inside a longer capitalised name or after a person's title.
  void FindUnlisted() {
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (!tokens_[i].upper_initial || tokens_[i].all_upper || sentence_of_[i] == kNoToken || match_at_[i] >= 0 ||
          country_at_[i] >= 0 || title_case_[sentence_of_[i]]) {
        continue;
      }
      if (Tok(i) == "The" || Tok(i) == "A" || Tok(i) == "An") continue;
      // At the start of a sentence only with a kind word after it ("Heping District signed ...").
      const bool sentence_start = i == 0 || !SameSentence(i - 1, i) || (i == sentence_first_[sentence_of_[i]] + 1 && IsArticle(i - 1));
      // After a capitalised word: part of a longer name, unless punctuation stands between
      // ("ESKİŞEHİR (AA) - Tepebaşı Municipality ...": then only with a kind word, as at a start).
      // "KYIV — The Shevchenkivskyi district of Kyiv": after a capitalised article, as at a start.
      const bool after_the = !sentence_start && tokens_[i - 1].upper_initial && IsArticle(i - 1);
      const bool after_capital = !sentence_start && !after_the && tokens_[i - 1].upper_initial;
      if (after_capital && JustSpace(Gap(i))) continue;
      const bool opens = sentence_start || after_capital || after_the;
      // The name: capitalised words joined as names are; `hyphens_only` when no space joins them.
      size_t last = i + 1;
      bool hyphens_only = true;
      while (last < tokens_.size() && last < i + 3 && SameSentence(i, last) && tokens_[last].upper_initial &&
             match_at_[last] < 0 && country_at_[last] < 0 && JoinsName(Gap(last)) && !IsPossessiveGap(Gap(last)) &&
             ShapeEndingAt(last) == nullptr && !ShapeSuffixAt(i, last)) {
        hyphens_only &= Gap(last) == "-";
        ++last;
      }
      if (last < tokens_.size() && SameSentence(i, last) && tokens_[last].upper_initial && JoinsName(Gap(last)) &&
          ShapeEndingAt(last) == nullptr && !ShapeSuffixAt(i, last)) {
        i = last;  // more of a longer name follows
        continue;
      }
      const bool kind_after = ShapeEndingAt(last) != nullptr || ShapeSuffixAt(i, last);
      if (opens && !kind_after) continue;  // most sentences open so: decided before any lookup
      char unused = 0;
      if (PhraseBefore(i, g_.person_titles_, &unused) != kNoToken) continue;
      const std::string key(Key(i, last));  // a copy: Key() reuses its buffer
      if (g_.common_words_.count(key) > 0 || g_.stop_names_.count(key) > 0 || person_keys_.count(key) > 0) continue;
      if (g_.shape_not_names_.count(key) > 0) continue;  // "the Provincial Municipality"
      // A kind word of [shapes] after it, or a place noun and "of" before it: ReadSuffix and
      // ReadCueBefore read them, MakeFromShape makes the place.
      if (kind_after || (!opens && ShapeNounBefore(i))) {
        AddMatch(i, last, key, {});
        i = last - 1;
        continue;
      }
      if (opens) continue;
      // "Odunpazarı, the city's other central district, ...", "Taiji, a small town in Wakayama":
      // an apposition whose head is a kind word of [shapes].
      if (const char kind = ShapeApposition(i, last); kind != 0) {
        AddMatch(i, last, key, {});
        matches_.back().shape = kind;
        i = last - 1;
        continue;
      }
      if (last < tokens_.size() && SameSentence(i, last) && JustSpace(Gap(last))) {
        char kind = 0;
        if (PhraseAt(last, g_.suffixes_, &kind) != kNoToken && kind == 'd') {
          AddMatch(i, last, key, {});  // a district, if its city is named (MakeUnlistedDistricts)
          i = last;
          continue;
        }
      }
      if (!hyphens_only || last >= tokens_.size() || !SameSentence(i, last) || country_at_[last] < 0) continue;
      std::string_view gap = Gap(last);
      while (!gap.empty() && IsSpaceByte(gap.back())) gap.remove_suffix(1);
      const CountryWord& cw = country_words_[country_at_[last]];
      if (gap != "," || cw.demonym || !RegionEndsThere(cw.last)) continue;
      Place p;
      p.name = std::string(text_.substr(tokens_[i].start, tokens_[last - 1].end - tokens_[i].start));
      p.country = cw.country;
      p.feature = "PPL";
      p.from_text = true;
      AddMatch(i, last, key, {});
      matches_.back().unlisted = std::move(p);
      for (size_t t = cw.first; t < cw.last; ++t) cue_token_[t] = true;
      i = cw.last - 1;
    }
  }

  // A district the gazetteer lacks, or whose namesakes lie elsewhere ("Kyiv's Pechersk district":
  // GeoNames' Pechersk is a Russian village), in the city named with it: a place of that city's
  // country and region, at its position.
  void MakeUnlistedDistricts() {
    for (auto& m : matches_) {
      if (m.chosen != kNoPlace || m.unlisted || m.cue.kind != 'd' || !m.has_suffix || m.container < 0) continue;
      const Match& city = matches_[m.container];
      if (city.chosen == kNoPlace) continue;
      Place p = g_.places_[city.chosen];
      p.geonameid = 0;
      p.name = std::string(text_.substr(m.start, tokens_[m.last - 1].end - m.start));
      p.feature = "PPLX";
      p.population = 0;
      p.from_text = true;
      m.unlisted = std::move(p);
    }
  }

  // The hyphenated ending of [shapes] at token `t` ("gu" of "Gangnam-gu"), or nullptr.
  const ShapeEnding* ShapeEndingAt(size_t t) const {
    if (t == 0 || t >= tokens_.size() || !SameSentence(t - 1, t) || Gap(t) != "-") return nullptr;
    if (t + 1 < tokens_.size() && SameSentence(t, t + 1) && JoinsName(Gap(t + 1)) && tokens_[t + 1].upper_initial) return nullptr;
    auto it = g_.shape_endings_.find(Key(t, t + 1));
    return it == g_.shape_endings_.end() ? nullptr : &it->second;
  }

  // Whether a suffix of [shapes] follows the name of tokens [first, last): "Heping District".
  bool ShapeSuffixAt(size_t first, size_t last) const {
    if (last >= tokens_.size() || !SameSentence(first, last) || !JustSpace(Gap(last)) || !MayOpenShapeSuffix(last)) return false;
    // "The town of ...", "This district": at the start of a sentence only a capitalised suffix.
    if (!tokens_[last].upper_initial && (first == 0 || !SameSentence(first - 1, first))) return false;
    char unused = 0;
    const size_t after = PhraseAt(last, g_.suffixes_, &unused);
    return after != kNoToken && IsShapeSuffix(last, after);
  }

  // Whether token `t` is the first word of a suffix of [shapes] (asked of most capitalised words:
  // answered once per token).
  bool MayOpenShapeSuffix(size_t t) const {
    if (shape_first_.empty()) shape_first_.assign(tokens_.size(), -1);
    if (shape_first_[t] < 0) shape_first_[t] = g_.shape_suffix_first_words_.count(std::string(Key(t, t + 1))) > 0 ? 1 : 0;
    return shape_first_[t] == 1;
  }

  // Whether tokens [first, last), a suffix, are one of [shapes], written as it must be.
  bool IsShapeSuffix(size_t first, size_t last) const {
    const std::string key(Key(first, last));
    if (g_.shape_suffixes_.count(key) == 0) return false;
    return tokens_[first].upper_initial || g_.shape_capitalised_suffixes_.count(key) == 0;
  }

  // The kind of the apposition after the name of tokens [first, last) when its head is a noun of
  // [shapes] (", a district of Eskişehir", ", the city's other central district,", ", a small town
  // in Wakayama"), else 0. The head is the noun before "of", "in", "on", "near" or the end of the
  // apposition: ", the district's mayor" and ", a town councillor" have none.
  char ShapeApposition(size_t first, size_t last) const {
    if (last >= tokens_.size() || !SameSentence(first, last)) return 0;
    std::string_view gap = Gap(last);
    while (!gap.empty() && IsSpaceByte(gap.back())) gap.remove_suffix(1);
    if (gap != ",") return 0;
    const std::string_view opener = Tok(last);
    if (opener != "a" && opener != "an" && opener != "the" && opener != "one") return 0;
    constexpr size_t kHeadWithin = 7;
    for (size_t t = last + 1; t < tokens_.size() && t <= last + kHeadWithin && SameSentence(first, t); ++t) {
      if (Gap(t).find_first_of(",;:()") != std::string_view::npos) return 0;
      if (tokens_[t].upper_initial) continue;
      char kind = 0;
      const size_t after = PhraseAt(t, g_.place_nouns_, &kind);
      if (after == kNoToken || g_.shape_nouns_.count(std::string(Key(t, after))) == 0) continue;
      if (after >= tokens_.size() || !SameSentence(first, after)) return kind;
      const std::string_view next_gap = Gap(after);
      if (next_gap.find_first_of(",;:)") != std::string_view::npos || next_gap.find('.') != std::string_view::npos) return kind;
      if (!JustSpace(next_gap)) return 0;
      const std::string_view next = Tok(after);
      return next == "of" || next == "in" || next == "on" || next == "near" ? kind : 0;
    }
    return 0;
  }

  // Whether a noun of [shapes] and "of" stand before token `at`: "the town of Taiji".
  bool ShapeNounBefore(size_t at) const {
    if (at < 2 || Tok(at - 1) != "of" || !SameSentence(at - 2, at) || !JustSpace(Gap(at)) || !JustSpace(Gap(at - 1))) return false;
    char unused = 0;
    const size_t noun = PhraseBefore(at - 1, g_.place_nouns_, &unused);
    if (noun == kNoToken || g_.shape_nouns_.count(std::string(Key(noun, at - 1))) == 0) return false;
    // "the Konya Metropolitan Municipality of ...": the noun ends an organisation's name; "the
    // Japanese town of" is no name.
    return noun == 0 || !SameSentence(noun - 1, noun) || !JustSpace(Gap(noun)) || !tokens_[noun - 1].upper_initial ||
           country_at_[noun - 1] >= 0 || noun - 1 == sentence_first_[sentence_of_[noun]];
  }

  // A capitalised word right after the mention makes it part of an organisation's or a building's
  // name ("Orange County Choppers", "Kent County Council", "Lincoln Township High School"); a
  // person's title does not ("Nakuru County Governor Susan Kihika").
  bool FollowedByName(const Match& m) const {
    const size_t next = m.next;
    if (next >= tokens_.size() || !SameSentence(m.first, next) || !JustSpace(Gap(next)) || !tokens_[next].upper_initial) return false;
    if (country_at_[next] >= 0) return false;
    char unused = 0;
    return PhraseAt(next, g_.person_titles_, &unused) == kNoToken;
  }

  // A place read from its shape is the same place wherever the article writes its name again
  // ("Tepebaşı Mayor Ahmet Ataç", the headline's "Tepebaşı and Prizren become sister cities"), as a
  // name resolved with a cue is; not inside a longer capitalised name.
  void SpreadFromShape() {
    std::map<std::string, std::pair<size_t, Place>> read;  // name key -> its words, the place
    for (const auto& m : matches_) {
      if (m.shape != 0 && m.unlisted && m.unlisted->from_text) read.emplace(m.key, std::pair{m.last - m.first, *m.unlisted});
    }
    if (read.empty()) return;
    // The gazetteer's places of that name, where no cue of their own chose them ("Broome and Taiji
    // became sister cities" after "the Japanese town of Taiji": not Taiji, China).
    for (auto& m : matches_) {
      auto it = read.find(m.key);
      if (it == read.end() || m.unlisted || m.shape != 0 || !m.cue.where.empty() || m.cue.place_word || m.has_suffix) continue;
      m.chosen = kNoPlace;
      m.unlisted = it->second.second;
    }
    char unused = 0;
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (!tokens_[i].upper_initial || sentence_of_[i] == kNoToken || match_at_[i] >= 0 || country_at_[i] >= 0) continue;
      if (i > 0 && SameSentence(i - 1, i) && JustSpace(Gap(i)) && tokens_[i - 1].upper_initial &&
          PhraseBefore(i, g_.person_titles_, &unused) == kNoToken) {
        continue;
      }
      for (const auto& [key, found] : read) {
        const size_t last = i + found.first;
        if (last > tokens_.size() || !SameSentence(i, last - 1) || !Joined(i, last) || Key(i, last) != key) continue;
        if (std::any_of(tokens_.begin() + i, tokens_.begin() + last, [](const Token& t) { return t.all_upper; })) continue;
        if (last < tokens_.size() && SameSentence(i, last) && JustSpace(Gap(last)) && tokens_[last].upper_initial &&
            country_at_[last] < 0 && PhraseAt(last, g_.person_titles_, &unused) == kNoToken) {
          continue;  // "Tepebaşı Belediyespor"
        }
        if (match_at_[last - 1] >= 0 || (last < tokens_.size() && Gap(last) == "-")) continue;
        AddMatch(i, last, key, {});
        matches_.back().unlisted = found.second;
        i = last - 1;
        break;
      }
    }
  }

  // The country the article is most about (the most named, if one is named most), or empty.
  std::string MainCountry() const {
    std::string best;
    int most = 0;
    bool tie = false;
    for (const auto& [cc, n] : article_countries_) {
      if (n > most) {
        best = cc;
        most = n;
        tie = false;
      } else if (n == most) {
        tie = true;
      }
    }
    return tie ? std::string() : best;
  }

  // Places the gazetteer lacks, read from their shape (cues.toml [shapes]): "Heping District in
  // Tianjin", "the Japanese town of Taiji", "Gangnam-gu", "Iloilo Province" (a division whose only
  // namesakes are cities). Their country: the city or region they are in, a country or demonym
  // before them, the ending's; for a division, its namesake cities' that the article names; then
  // the article's main country; else no place.
  void MakeFromShape() {
    // Names with a cue of where they lie first: the same name elsewhere in the article lies there too.
    std::map<std::string, Place> cued;
    for (int pass = 0; pass < 2; ++pass) {
      for (auto& m : matches_) {
        const bool has_cue = (m.container >= 0 && matches_[m.container].chosen != kNoPlace) || !m.cue.where.empty();
        if (has_cue == (pass == 1) || m.shape == 0 || m.chosen != kNoPlace || m.unlisted || person_keys_.count(m.key) > 0 ||
            IsPersonTitleBefore(m) || g_.common_words_.count(m.key) > 0 || FollowedByName(m)) {
          continue;
        }
        if (auto it = cued.find(m.key); it != cued.end()) {
          m.unlisted = it->second;
          continue;
        }
        MakeOneFromShape(m);
        if (m.unlisted && has_cue) cued.emplace(m.key, *m.unlisted);
      }
    }
  }

  bool IsArticle(size_t t) const {
    const std::string_view word = Tok(t);
    return word == "the" || word == "The" || word == "a" || word == "A" || word == "an" || word == "An";
  }

  // Whether "the", "a" or "an" stands right before the mention.
  bool AfterArticle(const Match& m) const {
    return m.first > 0 && SameSentence(m.first - 1, m.first) && JustSpace(Gap(m.first)) && IsArticle(m.first - 1);
  }

  // The country of a division's namesake cities ("Iloilo Province" is in the Philippines, as Iloilo
  // is): the one the article names, else the big namesakes' one if they agree; else empty.
  std::string NamesakeCountry(const Match& m) const {
    for (uint32_t id : m.namesakes) {
      if (article_countries_.count(g_.places_[id].country) > 0) return g_.places_[id].country;
    }
    std::string big;
    for (uint32_t id : m.namesakes) {
      const Place& p = g_.places_[id];
      if (p.population < kSmallPlace) continue;
      if (!big.empty() && big != p.country) return {};
      big = p.country;
    }
    return big;
  }

  // The place match `m` names by its shape, if its country is known (see MakeFromShape).
  void MakeOneFromShape(Match& m) {
    Place p;
    if (m.container >= 0 && matches_[m.container].chosen != kNoPlace) {
      const Place& city = g_.places_[matches_[m.container].chosen];
      p.country = city.country;
      p.admin1 = city.admin1;
      p.lat = city.lat;
      p.lon = city.lon;
    } else if (!m.cue.where.empty()) {
      const Cue::Where& w = m.cue.where.front();
      p.country = w.country;
      p.admin1 = w.admin1;
      if (w.city != kNoPlace) {
        p.lat = g_.places_[w.city].lat;
        p.lon = g_.places_[w.city].lon;
      }
    } else {
      p.country = NamesakeCountry(m);
      // "the Lake District", "the Peak District": after an article, a name with a kind word and
      // nothing to say where it lies is an area more often than a district; a district of a city
      // says which ("the Obolon district of Kyiv").
      // Else the one country its sentence names ("Ulleung County ... is a ferry ride from Pohang"),
      // else the article's.
      if (p.country.empty() && !AfterArticle(m) && sentence_countries_[m.sentence].size() == 1) {
        p.country = *sentence_countries_[m.sentence].begin();
      }
      if (p.country.empty() && !AfterArticle(m)) p.country = MainCountry();
    }
    // A division where its namesake city is (often its capital): the nearest coordinates known.
    for (uint32_t id : m.namesakes) {
      if (g_.places_[id].country != p.country || p.lat != 0 || p.lon != 0) continue;
      p.lat = g_.places_[id].lat;
      p.lon = g_.places_[id].lon;
    }
    if (p.country.empty()) return;
    const size_t name_end = tokens_[m.last - 1].end;
    if (m.shape == 'r') {
      // A division is named with its kind word: "Nakuru County", "Gapyeong-gun" as "Gapyeong County".
      p.name = m.ending != nullptr && !m.ending->word.empty()
                   ? std::string(text_.substr(m.start, name_end - m.start)) + " " + m.ending->word
                   : std::string(text_.substr(m.start, m.end - m.start));
      p.feature = "ADMD";
    } else {
      p.name = std::string(text_.substr(m.start, name_end - m.start));
      p.feature = m.shape == 'd' ? "PPLX" : "PPL";
    }
    p.from_text = true;
    m.unlisted = std::move(p);
  }

  // Records what the name key of tokens [first, last) is, if anything.
  bool TakeName(size_t first, size_t last) {
    const std::string_view key = Key(first, last);
    auto country = g_.countries_.find(key);
    std::vector<uint32_t> places = g_.PlacesNamed(key);
    if (country != g_.countries_.end()) {
      Note(first, last, country->second, false);
      // A country name is the country, unless its capital shares it ("Singapore").
      std::vector<uint32_t> capitals;
      for (uint32_t id : places) {
        if (g_.places_[id].feature == "PPLC" && g_.places_[id].country == country->second) capitals.push_back(id);
      }
      if (capitals.empty() || CountryOfNextName(last)) return true;
      AddMatch(first, last, key, std::move(capitals));
      return true;
    }
    if (auto demonym = g_.demonyms_.find(key); demonym != g_.demonyms_.end()) {
      Note(first, last, demonym->second, true);
      return true;
    }
    if (places.empty()) return false;
    // "The Denver City Council": a small "Denver City" inside a longer capitalised name gives way
    // to the shorter name in it ("Denver"); not before a suffix ("Wagga Wagga City Council").
    char unused = 0;
    if (last - first > 1 && last < tokens_.size() && SameSentence(first, last) && JustSpace(Gap(last)) &&
        tokens_[last].upper_initial && PhraseAt(last, g_.suffixes_, &unused) == kNoToken &&
        std::none_of(places.begin(), places.end(), [&](uint32_t id) { return Prominent(g_.places_[id]); })) {
      return false;
    }
    AddMatch(first, last, key, std::move(places));
    return true;
  }

  // Whether a country name ending before token `last` is in the possessive before another name
  // ("Mexico's Jalisco", "Panama's Colón"): then it says where that place lies, and is the country,
  // not its capital. A person's title after it leaves the capital ("Luxembourg's Mayor Lydie Polfer").
  bool CountryOfNextName(size_t last) const {
    if (last + 1 >= tokens_.size() || Tok(last) != "s" || !IsPossessiveGap(Gap(last))) return false;
    if (!SameSentence(last, last + 1) || !tokens_[last + 1].upper_initial) return false;
    char unused = 0;
    return PhraseAt(last + 1, g_.person_titles_, &unused) == kNoToken;
  }

  void Note(size_t first, size_t last, const std::string& cc, bool demonym) {
    for (size_t t = first; t < last; ++t) country_at_[t] = static_cast<int>(country_words_.size());
    country_words_.push_back({first, last, cc, demonym});
  }

  void AddMatch(size_t first, size_t last, std::string_view key, std::vector<uint32_t> ids) {
    Match m;
    m.first = first;
    m.last = last;
    m.start = tokens_[first].start;
    m.end = tokens_[last - 1].end;
    m.sentence = sentence_of_[first];
    m.key = key;
    m.next = last;
    m.ids = std::move(ids);
    for (size_t t = first; t < last; ++t) match_at_[t] = static_cast<int>(matches_.size());
    matches_.push_back(std::move(m));
  }

  // Whether tokens [first, last) form a phrase found in `table` (words joined by spaces or hyphens);
  // sets `kind` when the table gives one.
  template <typename Table>
  bool PhraseIn(size_t first, size_t last, const Table& table, char* kind) const {
    if (last > tokens_.size() || !SameSentence(first, last - 1)) return false;
    for (size_t t = first + 1; t < last; ++t) {
      if (!JustSpace(Gap(t)) && Gap(t) != "-") return false;
    }
    auto it = table.find(Key(first, last));
    if (it == table.end()) return false;
    TakeKind<Table>(it, kind);
    return true;
  }

  // The longest phrase of `table` (up to 3 words) starting at token `at`: the token after it, or
  // kNoToken.
  template <typename Table>
  size_t PhraseAt(size_t at, const Table& table, char* kind) const {
    for (size_t n = 3; n >= 1; --n) {
      if (PhraseIn(at, at + n, table, kind)) return at + n;
    }
    return kNoToken;
  }

  // The longest phrase of `table` (up to 3 words) ending at token `end - 1`: its first token, or
  // kNoToken.
  template <typename Table>
  size_t PhraseBefore(size_t end, const Table& table, char* kind) const {
    for (size_t n = 3; n >= 1; --n) {
      if (end >= n && PhraseIn(end - n, end, table, kind)) return end - n;
    }
    return kNoToken;
  }

  // "Irvine County", "Xuhui District", "Jiangsu province": the suffix joins the mention.
  void ReadSuffix(Match& m) {
    if (m.last >= tokens_.size() || !SameSentence(m.first, m.last)) return;
    // "Gangnam-gu", "Taiji-cho": the ending says the kind and the country.
    if (const ShapeEnding* ending = ShapeEndingAt(m.last); ending != nullptr) {
      m.cue.kind = ending->kind;
      m.cue.where.push_back({ending->country, "", kNoPlace});
      m.has_suffix = true;
      m.shape = ending->kind;
      m.ending = ending;
      m.end = tokens_[m.last].end;
      m.next = m.last + 1;
      KeepDivisionsOnly(m);
      return;
    }
    if (!JustSpace(Gap(m.last))) return;
    char kind = 0;
    const size_t after = PhraseAt(m.last, g_.suffixes_, &kind);
    if (after == kNoToken) return;
    m.cue.kind = kind;
    m.has_suffix = true;
    m.end = tokens_[after - 1].end;
    m.next = after;
    if (IsShapeSuffix(m.last, after)) m.shape = kind;
    KeepDivisionsOnly(m);
  }

  // "Iloilo Province", "Kano State" is the division, never the city of the same name: with a
  // division suffix only divisions stay candidates. With none left, it is a division the gazetteer
  // lacks, of the country of its namesakes (MakeFromShape).
  void KeepDivisionsOnly(Match& m) {
    if (m.cue.kind != 'r' || m.ids.empty()) return;
    std::vector<uint32_t> divisions;
    for (uint32_t id : m.ids) {
      if (g_.places_[id].feature == "ADM1") divisions.push_back(id);
    }
    // "Zabul province": GeoNames' division is "Zabul Province", its namesake a village elsewhere.
    if (divisions.empty()) {
      for (uint32_t id : g_.PlacesNamed(Key(m.first, m.next))) {
        if (g_.places_[id].feature == "ADM1") divisions.push_back(id);
      }
    }
    if (divisions.empty()) {
      m.namesakes = m.ids;
      m.shape = 'r';
    }
    m.ids = std::move(divisions);
  }

  // Skips direction adjectives ending at token `end - 1`; returns the new end.
  size_t SkipDirectionsBefore(size_t end) const {
    while (end > 0) {
      char unused = 0;
      size_t at = PhraseBefore(end, g_.directions_, &unused);
      if (at == kNoToken) break;
      end = at;
    }
    return end;
  }

  void AddCountryCue(Cue& cue, const std::string& cc) { cue.where.push_back({cc, "", kNoPlace}); }

  // A country for the place from the words right before it: "China's eastern", "the Chinese
  // capital", "the Japanese port city of".
  void ReadCueBefore(Match& m) {
    size_t end = m.first;  // tokens before `end` are read
    if (end == 0 || !SameSentence(end - 1, m.first)) return;
    auto space_before = [&](size_t t) { return t > 0 && SameSentence(t - 1, m.first) && JustSpace(Gap(t)); };
    if (!space_before(end)) return;
    // "of": "the city of Reading".
    bool had_of = false;
    if (Tok(end - 1) == "of" && end >= 2 && space_before(end - 1)) {
      had_of = true;
      --end;
    }
    char kind = 0;
    size_t noun = PhraseBefore(end, g_.place_nouns_, &kind);
    if (noun != kNoToken) {
      m.cue.place_word = true;
      if (m.cue.kind == 0) m.cue.kind = kind;
      if (had_of && m.shape == 0 && ShapeNounBefore(m.first)) m.shape = kind;
      end = noun;
    } else if (had_of) {
      // "the Lord Mayor of Cork", "the governor of Victoria": an office says what kind of place.
      if (PhraseBefore(end, g_.offices_, &kind) != kNoToken) {
        m.cue.place_word = true;
        if (m.cue.kind == 0) m.cue.kind = kind;
      }
      return;  // "the head of Victoria": no cue
    }
    if (end == 0 || !space_before(end)) return;
    end = SkipDirectionsBefore(end);
    if (end == 0) return;
    // A demonym, or a country in the possessive ("China's").
    const size_t prev = end - 1;
    if (!SameSentence(prev, m.first)) return;
    if (country_at_[prev] >= 0 && JustSpace(Gap(end))) {
      AddCountryCue(m.cue, country_words_[country_at_[prev]].country);
      return;
    }
    if (Tok(prev) == "s" && prev >= 1 && IsPossessiveGap(Gap(prev)) && country_at_[prev - 1] >= 0) {
      AddCountryCue(m.cue, country_words_[country_at_[prev - 1]].country);
    }
    // "Kyiv's Pechersk district": a district of the city in the possessive.
    if (Tok(prev) == "s" && prev >= 1 && IsPossessiveGap(Gap(prev)) && m.cue.kind == 'd' && match_at_[prev - 1] >= 0 &&
        &matches_[match_at_[prev - 1]] != &m) {
      AddContainer(m, match_at_[prev - 1]);
    }
  }

  // The city the district `m` lies in is named by match `city`.
  void AddContainer(Match& m, int city) {
    m.container = city;
    m.says_where = city;
    for (uint32_t id : matches_[city].ids) {
      const Place& c = g_.places_[id];
      if (c.feature != "ADM1") m.cue.where.push_back({c.country, c.admin1, id});
    }
  }

  // Countries and divisions named by tokens [first, last): a country, a demonym, a division name
  // or abbreviation. Appends them to `cue`; returns true if any.
  bool RegionCue(size_t first, size_t last, Cue& cue) const {
    const std::string_view key = Key(first, last);
    bool any = false;
    if (auto c = g_.countries_.find(key); c != g_.countries_.end()) {
      cue.where.push_back({c->second, "", kNoPlace});
      any = true;
    }
    if (auto r = g_.regions_.find(key); r != g_.regions_.end()) {
      for (uint32_t id : r->second) cue.where.push_back({g_.places_[id].country, g_.places_[id].admin1, kNoPlace});
      any = true;
    }
    return any;
  }

  // The longest run of 1..4 tokens at `at` that names a country or division (allowing "B.C.").
  size_t RegionAt(size_t at, Cue& cue) const {
    if (at >= tokens_.size() || !tokens_[at].upper_initial) return kNoToken;
    for (size_t n = 4; n >= 1; --n) {
      const size_t last = at + n;
      if (last > tokens_.size() || !SameSentence(at, last - 1) || !Joined(at, last)) continue;
      Cue found;
      if (RegionCue(at, last, found)) {
        // Also "Province"/"State" after it: "in China's eastern Jiangsu Province".
        cue.where.insert(cue.where.end(), found.where.begin(), found.where.end());
        return last;
      }
    }
    return kNoToken;
  }

  // What follows a name: ", Country", ", B.C.", " (Japan)", " in Shanghai", ", a city in southern
  // Taiwan", ", the Taiwanese capital".
  void ReadCueAfter(Match& m) {
    const size_t next = m.next;
    if (next >= tokens_.size() || !SameSentence(m.first, next)) return;
    const std::string_view gap = Gap(next);
    std::string_view trimmed = gap;
    while (!trimmed.empty() && IsSpaceByte(trimmed.back())) trimmed.remove_suffix(1);
    while (!trimmed.empty() && IsSpaceByte(trimmed.front())) trimmed.remove_prefix(1);
    if (trimmed == "," || trimmed == "(") {
      Cue region;
      const size_t after = RegionAt(next, region);
      // The region must be one the place can be in: "Sapporo, Portland's sister city" is no
      // Sapporo in Jamaica's Portland parish.
      const bool fits = m.shape != 0 || std::any_of(m.ids.begin(), m.ids.end(), [&](uint32_t id) {
        return std::any_of(region.where.begin(), region.where.end(), [&](const Cue::Where& w) { return Fits(id, w); });
      });
      if (after != kNoToken && fits && RegionEndsThere(after)) {
        m.cue.where.insert(m.cue.where.end(), region.where.begin(), region.where.end());
        // "Sacramento, California": the state says where Sacramento is; it is no party of its own.
        for (size_t t = next; t < after; ++t) cue_token_[t] = true;
        return;
      }
      // "The town of Taiji, in Wakayama Prefecture,": for a place of a kind word, as " in" does;
      // other appositions are read loosely.
      if (trimmed == "," && Tok(next) == "in" && m.shape != 0) {
        ReadInCue(m, next + 1, false);
      } else if (trimmed == "," && !tokens_[next].upper_initial) {
        ReadApposition(m, next);
      }
      return;
    }
    if (trimmed.empty() && (Tok(next) == "in" || Tok(next) == "of")) ReadInCue(m, next + 1, Tok(next) == "of");
    if (IsPossessiveGap(gap) && Tok(next) == "s") ReadTieAfter(m, next + 1);
  }

  // "Victoria's other sister state", "Cork's twin towns": a tie of the name's own makes it a place
  // of that kind. Up to two words ("other", "newest") may stand between.
  void ReadTieAfter(Match& m, size_t at) {
    for (size_t skip = 0; skip <= 2 && at + skip < tokens_.size(); ++skip) {
      if (!SameSentence(m.first, at + skip) || !JustSpace(Gap(at + skip))) return;
      char kind = 0;
      if (PhraseAt(at + skip, g_.tie_nouns_, &kind) != kNoToken) {
        m.cue.place_word = true;
        if (m.cue.kind == 0) m.cue.kind = kind;
        return;
      }
    }
  }

  // After a region cue: the end of the clause, not more of a name ("Paris, Texas, said" but not
  // "Tianjin, Beijing Daily").
  bool RegionEndsThere(size_t after) const {
    if (after >= tokens_.size()) return true;
    const std::string_view gap = Gap(after);
    if (IsPossessiveGap(gap)) return false;  // "Sapporo, Portland's sister city"
    if (gap.find_first_of(",;:()") != std::string_view::npos || gap.find('.') != std::string_view::npos) return true;
    if (gap.find("\xE2\x80") != std::string_view::npos) return true;  // dashes, quotes
    return !tokens_[after].upper_initial;
  }

  // " in Shanghai", " in southern Taiwan", " in China's Jiangsu Province", " of Shanghai" (a district).
  void ReadInCue(Match& m, size_t at, bool of) {
    if (at >= tokens_.size() || !SameSentence(m.first, at)) return;
    // Skip direction words: "in southern Taiwan".
    while (at < tokens_.size() && SameSentence(m.first, at)) {
      char unused = 0;
      size_t after = PhraseAt(at, g_.directions_, &unused);
      if (after == kNoToken) break;
      at = after;
    }
    if (at >= tokens_.size() || !SameSentence(m.first, at)) return;
    Cue cue;
    size_t after = RegionAt(at, cue);
    if (after != kNoToken && !of) {
      m.cue.where.insert(m.cue.where.end(), cue.where.begin(), cue.where.end());
      if (m.has_suffix && match_at_[at] >= 0 && matches_[match_at_[at]].first == at) m.says_where = match_at_[at];
      return;
    }
    // "Xuhui District in Shanghai": a city the place is part of; only for district-like places.
    if (match_at_[at] < 0 || matches_[match_at_[at]].first != at) return;
    AddContainer(m, match_at_[at]);
    if (m.cue.kind == 0 && of) m.cue.kind = 'd';
  }

  // ", a major economic centre in China's eastern Jiangsu Province": countries, demonyms and
  // divisions in the words up to the next comma.
  void ReadApposition(Match& m, size_t at) {
    Cue cue;
    for (size_t t = at; t < tokens_.size() && t < at + kAppositionWords && SameSentence(m.first, t); ++t) {
      if (t > at && Gap(t).find_first_of(",;:()") != std::string_view::npos) break;
      if (Tok(t) == "capital") cue.kind = 'k';
      if (country_at_[t] >= 0) {
        const auto& cw = country_words_[country_at_[t]];
        cue.where.push_back({cw.country, "", kNoPlace});
        t = cw.last - 1;
        continue;
      }
      if (tokens_[t].upper_initial) {
        Cue region;
        size_t after = RegionAt(t, region);
        if (after != kNoToken) {
          for (const auto& w : region.where) {
            if (!w.admin1.empty()) cue.where.push_back(w);
          }
          t = after - 1;
        }
      }
    }
    if (cue.where.empty()) return;
    if (m.cue.where.empty()) m.cue.from_apposition = true;
    // A division with its country ("China's ... Jiangsu Province") is the sharper cue.
    bool has_division = std::any_of(cue.where.begin(), cue.where.end(), [](const Cue::Where& w) { return !w.admin1.empty(); });
    for (const auto& w : cue.where) {
      if (!has_division || !w.admin1.empty()) m.cue.where.push_back(w);
    }
    if (m.cue.kind == 0 && cue.kind != 0) m.cue.kind = cue.kind;
  }

  bool IsPersonTitleBefore(const Match& m) const {
    size_t end = m.first;
    if (end == 0 || !SameSentence(end - 1, m.first)) return false;
    const std::string_view gap = Gap(end);
    if (!(JustSpace(gap) || gap == ". ")) return false;
    char unused = 0;
    return PhraseBefore(end, g_.person_titles_, &unused) != kNoToken;
  }

  // Whether a capitalised word touches the name, making it part of a longer name ("Greg Baker",
  // "Powell Street"); words that are themselves countries, places or suffixes do not count.
  bool InLongerName(const Match& m) const {
    const size_t first_of_sentence = sentence_first_[m.sentence];
    if (m.first > first_of_sentence && JustSpace(Gap(m.first))) {
      const size_t p = m.first - 1;
      if (tokens_[p].upper_initial && country_at_[p] < 0) {
        char unused = 0;
        if (PhraseBefore(m.first, g_.place_nouns_, &unused) == kNoToken) return true;
      }
    }
    // After a suffix, what follows is the place's own ("Wagga Wagga City Council").
    const size_t next = m.next;
    if (!m.has_suffix && next < tokens_.size() && SameSentence(m.first, next) && JustSpace(Gap(next)) && tokens_[next].upper_initial &&
        country_at_[next] < 0) {
      return true;
    }
    return false;
  }

  void KeepOnly(Match& m, auto&& keep) {
    std::vector<uint32_t> kept;
    for (uint32_t id : m.ids) {
      if (keep(g_.places_[id])) kept.push_back(id);
    }
    if (kept.empty()) {
      m.needs_cue = true;
    } else {
      m.ids = std::move(kept);
    }
  }

  static bool Prominent(const Place& p) { return p.population >= kProminent || p.feature == "PPLC" || p.feature == "ADM1"; }

  void Gate(Match& m) {
    if (IsPersonTitleBefore(m)) {
      person_keys_.insert(m.key);  // "Mr. Stewart" here, so "Stewart" alone elsewhere too
      m.ids.clear();
      return;
    }
    // "the City's sister city agreement", "the Union's": a stop name after "the" is the word, even
    // with a tie of its own after it.
    if (g_.stop_names_.count(m.key) > 0 && !m.has_suffix && m.first > 0 && SameSentence(m.first - 1, m.first) &&
        (Tok(m.first - 1) == "the" || Tok(m.first - 1) == "The")) {
      m.ids.clear();
      return;
    }
    if (!m.cue.where.empty() || m.cue.place_word) return;
    const Token& tok = tokens_[m.first];
    const bool single = m.last - m.first == 1;
    const bool common = g_.common_words_.count(m.key) > 0;
    // A suffix makes a place of a stop name ("Orange County") but not of words ("Friendship City").
    if (g_.stop_names_.count(m.key) > 0 && !m.has_suffix) m.needs_cue = true;
    if (single && tok.all_upper && tok.end - tok.start <= 4) m.needs_cue = true;  // acronyms: "CAN", "BRI"
    const bool sentence_start = m.first == sentence_first_[m.sentence];
    const bool headline = title_case_[m.sentence];
    // "Tartu City Council": a name with its own suffix is a place however the words go on (the
    // gate would leave only Tartu County, a division, big enough to stand in a longer name).
    if (!m.has_suffix && InLongerName(m)) {
      // "Greg Baker", "Kennedy Stewart": a person or an organisation, unless the place is big.
      if (common) m.needs_cue = true;
      KeepOnly(m, Prominent);
      if (m.needs_cue) person_keys_.insert(m.key);
    }
    if (common) {
      // A capital or a big city keeps its name at the start of a sentence ("Wellington has ...").
      const bool big = std::any_of(m.ids.begin(), m.ids.end(), [&](uint32_t id) {
        return g_.places_[id].feature == "PPLC" || g_.places_[id].population >= kBigCity;
      });
      if (headline || (single && sentence_start && !big)) m.needs_cue = true;
      KeepOnly(m, [](const Place& p) { return p.population >= kCommonWordMinimum; });
    }
    if (headline) KeepOnly(m, Prominent);
  }

  // Whether a place fits a cue's constraints.
  bool Fits(uint32_t id, const Cue::Where& w) const {
    const Place& p = g_.places_[id];
    if (p.country != w.country) return false;
    if (w.city != kNoPlace) return g_.parent_[id] == w.city || (!w.admin1.empty() && p.admin1 == w.admin1 && id != w.city);
    return w.admin1.empty() || p.admin1 == w.admin1;
  }

  // The country a match most likely means before context: its biggest candidate's, if that one
  // outweighs every candidate elsewhere tenfold.
  std::string DominantCountry(const Match& m) const {
    if (m.ids.empty()) return {};
    const Place& top = g_.places_[m.ids.front()];
    if (top.population < kSmallPlace) return {};  // small places do not set the scene
    for (uint32_t id : m.ids) {
      const Place& p = g_.places_[id];
      if (p.country != top.country && p.population * 10 > top.population) return {};
    }
    return top.country;
  }

  void CountContext() {
    sentence_countries_.assign(sentences_.size(), {});
    for (const auto& cw : country_words_) {
      ++article_countries_[cw.country];
      if (sentence_of_[cw.first] != kNoToken) sentence_countries_[sentence_of_[cw.first]].insert(cw.country);
    }
    for (const auto& m : matches_) {
      if (m.ids.empty() || m.needs_cue) continue;
      std::string cc = DominantCountry(m);
      if (cc.empty()) continue;
      ++article_countries_[cc];
      sentence_countries_[m.sentence].insert(cc);
    }
  }

  double Score(const Match& m, uint32_t id) const {
    const Place& p = g_.places_[id];
    const bool division = p.feature == "ADM1";
    // A division's population is the sum of its places'; a tenth of it keeps "New York" the city.
    const double population = division ? p.population / 10.0 : static_cast<double>(p.population);
    double s = std::log10(std::max(population, 1.0));
    if (article_countries_.count(p.country) > 0) s += 1.5;
    if (sentence_countries_[m.sentence].count(p.country) > 0) s += 1.0;
    if (NameKey(p.name) == m.key) s += 0.5;  // its own name, not an alternate one
    if (p.feature == "PPLC") s += 0.6;
    if (p.feature == "PPLA") s += 0.3;
    switch (m.cue.kind) {
      case 'r': if (division) s += 3; break;
      case 'c': if (!division) s += 3; break;
      case 'd': if (g_.parent_[id] != kNoPlace || p.feature == "PPLX" || p.feature == "PPLA3") s += 3; break;
      case 'k': if (p.feature == "PPLC") s += 3; else if (p.feature == "PPLA") s += 1; break;
      default: break;
    }
    return s;
  }

  uint32_t Best(const Match& m, const std::vector<uint32_t>& ids) const {
    uint32_t best = kNoPlace;
    double best_score = -1e9;
    for (uint32_t id : ids) {
      double s = Score(m, id);
      if (s > best_score) {
        best_score = s;
        best = id;
      }
    }
    return best;
  }

  void Resolve() {
    std::map<std::string, uint32_t> cued, seen;
    // Names with a cue first: they decide what the same name means elsewhere in the article.
    for (auto& m : matches_) {
      if (m.ids.empty() || m.cue.where.empty()) continue;
      std::vector<uint32_t> fitting;
      for (uint32_t id : m.ids) {
        for (const auto& w : m.cue.where) {
          if (Fits(id, w)) {
            fitting.push_back(id);
            break;
          }
        }
      }
      if (fitting.empty()) {
        // Its cue places it in a country where no candidate lies (a region cue that misses says
        // less: "in Jiangsu province, between Shanghai and ..." is no Jiangsu in Shanghai).
        // An apposition is read too loosely to overrule the gazetteer ("Anhui Province, by Nizhny
        // Novgorod Mayor ...").
        m.cue_missed = !m.cue.from_apposition && std::none_of(m.ids.begin(), m.ids.end(), [&](uint32_t id) {
          return std::any_of(m.cue.where.begin(), m.cue.where.end(), [&](const Cue::Where& w) { return g_.places_[id].country == w.country; });
        });
        continue;
      }
      m.chosen = Best(m, fitting);
      cued.emplace(m.key, m.chosen);
    }
    // Then names a word around them makes places ("the Lord Mayor of Cork"): they too decide for
    // the same name elsewhere ("Cork and Shanghai became ..." at the start of a sentence).
    for (auto& m : matches_) {
      if (m.ids.empty() || m.chosen != kNoPlace || !m.cue.place_word || m.needs_cue || cued.count(m.key) > 0) continue;
      if (m.cue_missed && m.shape != 0) continue;  // a place the gazetteer lacks (MakeFromShape)
      const std::vector<uint32_t> supported = Supported(m);
      if (supported.empty()) continue;
      m.chosen = Best(m, supported);
      cued.emplace(m.key, m.chosen);
    }
    for (auto& m : matches_) {
      if (m.ids.empty() || m.chosen != kNoPlace || (m.cue_missed && m.shape != 0)) continue;
      if (auto it = cued.find(m.key); it != cued.end()) {
        m.chosen = it->second;
        continue;
      }
      if (m.needs_cue || person_keys_.count(m.key) > 0) continue;
      if (m.container >= 0 && m.cue.kind == 'd') continue;  // no district of that name lies in the city named with it
      if (auto it = seen.find(m.key); it != seen.end()) {
        m.chosen = it->second;
        continue;
      }
      const std::vector<uint32_t> supported = Supported(m);
      if (supported.empty()) continue;
      m.chosen = Best(m, supported);
      seen.emplace(m.key, m.chosen);
    }
  }

  // Candidates that need no cue of their own: big enough, or in a country the article names. A word
  // around the name that makes it a place ("the Lord Mayor of Wells", "Wagga Wagga City Council")
  // supports every candidate: small places too.
  std::vector<uint32_t> Supported(const Match& m) const {
    if (m.cue.place_word || m.has_suffix) return m.ids;
    std::vector<uint32_t> supported;
    for (uint32_t id : m.ids) {
      const Place& p = g_.places_[id];
      if (p.population >= kSmallPlace || article_countries_.count(p.country) > 0) supported.push_back(id);
    }
    return supported;
  }

  // The place as the text names it: "Ayodhya" for GeoNames' "Ajodhya", "Frankfurt" for "Frankfurt
  // am Main", when the text wrote another of its names; its own name otherwise, and for a name
  // written in capitals ("PORTLAND, Maine —") or with a city suffix ("Kyiv City" is Kyiv).
  Place Shown(const Match& m) const {
    Place p = g_.places_[m.chosen];
    // A division written with its kind word is named with it ("Nakuru County", "Liaoning Province").
    if (p.feature == "ADM1" && m.has_suffix && m.cue.kind == 'r' && m.ending == nullptr &&
        std::none_of(tokens_.begin() + m.first, tokens_.begin() + m.last, [](const Token& t) { return t.all_upper; })) {
      p.name = std::string(text_.substr(m.start, m.end - m.start));
      return p;
    }
    if (m.key == NameKey(p.name)) return p;
    char kind = 0;
    if (const size_t suffix = PhraseBefore(m.last, g_.suffixes_, &kind); suffix != kNoToken && suffix > m.first && kind == 'c') return p;
    const std::string_view written = text_.substr(m.start, tokens_[m.last - 1].end - m.start);
    for (size_t t = m.first; t < m.last; ++t) {
      if (tokens_[t].all_upper) return p;
    }
    p.name = std::string(written);
    return p;
  }

  const Gazetteer& g_;
  std::string_view text_;
  const std::vector<TextSpan>& sentences_;
  std::vector<Token> tokens_;
  mutable std::vector<std::optional<std::string>> folded_;  // per token: FoldForLookup, once made
  mutable std::string key_;                                // Key()'s result
  mutable std::vector<int8_t> shape_first_;  // per token: MayOpenShapeSuffix, -1 until asked
  std::vector<size_t> sentence_of_;     // per token
  std::vector<size_t> sentence_first_;  // per sentence: its first token
  std::vector<bool> title_case_;        // per sentence
  std::vector<int> country_at_;         // per token: index into country_words_, or -1
  std::vector<CountryWord> country_words_;
  std::vector<Match> matches_;
  std::vector<int> match_at_;           // per token: index into matches_, or -1
  std::vector<bool> cue_token_;         // per token: part of a cue after another name
  std::set<std::string> person_keys_;  // names seen as people's ("Mr. Stewart")
  std::map<std::string, int> article_countries_;
  std::vector<std::set<std::string>> sentence_countries_;
};

std::vector<CityMention> Gazetteer::FindCities(std::string_view text, const std::vector<TextSpan>& sentences) const {
  return Finder(*this, text, sentences).Run();
}

std::vector<CityMention> Gazetteer::FindCities(std::string_view text) const { return FindCities(text, SplitSentences(text)); }

}  // namespace tw
