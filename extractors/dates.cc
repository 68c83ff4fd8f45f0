#include "extractors/dates.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "extractors/rule_file.h"

namespace tw {

namespace {

enum class Unit { kNone, kDay, kWeek, kMonth, kYear, kDecade };

// A date at some precision. Fields below the precision are 0.
struct DateValue {
  int year = 0, month = 0, day = 0;
  Unit precision = Unit::kNone;
  int decade = 0;  // 199 for the 1990s, with precision kDecade
  bool ok() const { return precision != Unit::kNone; }
};

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

DateValue CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  DateValue v;
  v.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  v.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  v.year = static_cast<int>(yoe + era * 400 + (v.month <= 2));
  v.precision = Unit::kDay;
  return v;
}

// ISO weekday, Monday = 1.
int Weekday(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1; }

bool ValidDay(int year, int month, int day) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  if (month == 2 && day == 29) return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return true;
}

std::string Format(const DateValue& v) {
  char buf[24];
  switch (v.precision) {
    case Unit::kYear: std::snprintf(buf, sizeof buf, "%04d", v.year); break;
    case Unit::kMonth: std::snprintf(buf, sizeof buf, "%04d-%02d", v.year, v.month); break;
    case Unit::kDay: std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day); break;
    case Unit::kDecade: std::snprintf(buf, sizeof buf, "%03dX", v.decade); break;
    case Unit::kWeek: {
      // ISO week: the week's Thursday decides the year.
      const int64_t days = DaysFromCivil(v.year, v.month, v.day);
      const int64_t thursday = days - Weekday(days) + 4;
      const DateValue t = CivilFromDays(thursday);
      const int64_t week = (thursday - DaysFromCivil(t.year, 1, 1)) / 7 + 1;
      std::snprintf(buf, sizeof buf, "%04d-W%02d", t.year, static_cast<int>(week));
      break;
    }
    case Unit::kNone: return {};
  }
  return buf;
}

Unit ParseUnit(const std::string& word) {
  if (word == "day") return Unit::kDay;
  if (word == "week") return Unit::kWeek;
  if (word == "month") return Unit::kMonth;
  if (word == "year") return Unit::kYear;
  return Unit::kNone;
}

// Lowercase letters of `s`, periods and spaces at the ends dropped: "Sept." -> "sept".
std::string WordKey(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '.') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

struct DateRule {
  enum class Anchor { kNone, kPublication, kPrevious };
  enum class Pick { kNone, kTense, kBefore, kAfter, kSame };
  std::string id;
  std::unique_ptr<RE2> re;
  bool not_date = false;
  Anchor anchor = Anchor::kNone;
  Pick pick = Pick::kNone;
  bool has_shift = false;
  std::string shift_amount;  // "+1", "-1", "0", "-{n}", "+{n}", "{word}"
  std::string shift_unit;    // "year", "{unit}"
  Unit cut = Unit::kNone;    // precision cut
  int mention_group = 0;     // the group that is the mention, 0 for the whole match
  // Named groups: canonical name ("end_year2" -> "end_year") and group number.
  std::vector<std::pair<std::string, int>> groups;
};

struct DateFinder::Impl {
  std::vector<std::unique_ptr<DateRule>> rules;
  std::unique_ptr<RE2::Set> any;  // every rule at once: which ones can match a sentence
  std::map<std::string, int> months, weekdays, numbers, offsets;
  std::map<std::string, int> seasons;  // a season's last month: "last autumn" is the last November
  std::unique_ptr<RE2> future, past;

  // What one match says, by canonical group name.
  using Parts = std::map<std::string, std::string>;

  struct Candidate {
    const DateRule* rule;
    size_t start, end;  // bytes into the text
    Parts parts;
  };

  int Lookup(const std::map<std::string, int>& table, const std::string& word, int missing) const {
    auto it = table.find(WordKey(word));
    return it == table.end() ? missing : it->second;
  }

  int MonthOf(const std::string& s) const {
    if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) return std::atoi(s.c_str());
    return Lookup(months, s, 0);
  }

  // The count of a {n} group: digits or a number word; -1 when unknown ("several").
  int CountOf(const std::string& s) const {
    if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) return std::atoi(s.c_str());
    const int n = Lookup(numbers, s, -1);
    return n <= 0 ? -1 : n;
  }

  // Whether the sentence speaks of the future around the date at [start, end) (sentence-relative).
  // A past cue inside a future one is none: "would be signed on March 13".
  bool Future(std::string_view sentence, size_t start, size_t end) const {
    auto spans = [&](const RE2& re) {
      std::vector<std::pair<size_t, size_t>> out;
      re2::StringPiece input(sentence.data(), sentence.size());
      re2::StringPiece m;
      size_t pos = 0;
      while (pos < sentence.size() && re.Match(input, pos, sentence.size(), RE2::UNANCHORED, &m, 1)) {
        const size_t b = m.data() - sentence.data(), e = b + m.size();
        out.emplace_back(b, e);
        pos = e > b ? e : b + 1;
      }
      return out;
    };
    const auto future_spans = spans(*future);
    auto nearest = [&](const std::vector<std::pair<size_t, size_t>>& found, bool skip_inside_future) {
      size_t best = std::string_view::npos;
      for (const auto& span : found) {
        // Named copies, not a structured binding: clang 14 (the fuzz build) cannot capture one.
        const size_t b = span.first, e = span.second;
        if (skip_inside_future && std::any_of(future_spans.begin(), future_spans.end(),
                                              [&](const auto& f) { return f.first <= b && e <= f.second; })) {
          continue;
        }
        best = std::min(best, e <= start ? start - e : (b >= end ? b - end : 0));
      }
      return best;
    };
    const size_t f = nearest(future_spans, false);
    if (f == std::string_view::npos) return false;
    return f < nearest(spans(*past), true);
  }

  DateValue Absolute(const Parts& p) const {
    DateValue v;
    if (auto d = p.find("decade"); d != p.end()) {
      v.decade = std::atoi(d->second.c_str());
      v.precision = Unit::kDecade;
      return v;
    }
    auto y = p.find("year");
    if (y == p.end()) return v;
    v.year = std::atoi(y->second.c_str());
    v.precision = Unit::kYear;
    if (auto m = p.find("month"); m != p.end()) {
      v.month = MonthOf(m->second);
      if (v.month < 1 || v.month > 12) return {};
      v.precision = Unit::kMonth;
      if (auto d = p.find("day"); d != p.end()) {
        v.day = std::atoi(d->second.c_str());
        if (!ValidDay(v.year, v.month, v.day)) return {};
        v.precision = Unit::kDay;
      }
    }
    return v;
  }

  // The end of a range: the end_* parts, the rest from the start.
  DateValue RangeEnd(const Parts& p, const DateValue& start) const {
    DateValue e = start;
    bool any = false;
    if (auto y = p.find("end_year"); y != p.end()) {
      e.year = std::atoi(y->second.c_str());
      any = true;
    }
    if (auto m = p.find("end_month"); m != p.end()) {
      e.month = MonthOf(m->second);
      any = true;
    }
    if (auto d = p.find("end_day"); d != p.end()) {
      e.day = std::atoi(d->second.c_str());
      any = true;
    }
    if (!any) return {};
    if (e.precision == Unit::kDay && !ValidDay(e.year, e.month, e.day)) return {};
    return e;
  }

  // Moves `base` by `amount` units; the result has the unit's precision.
  static DateValue Shift(const DateValue& base, int amount, Unit unit) {
    DateValue v;
    switch (unit) {
      case Unit::kYear:
        if (base.precision == Unit::kDecade || base.precision == Unit::kNone) return {};
        v.year = base.year + amount;
        v.precision = Unit::kYear;
        return v;
      case Unit::kMonth: {
        if (base.precision == Unit::kYear || base.precision == Unit::kDecade || base.precision == Unit::kNone) return {};
        const int index = base.year * 12 + (base.month - 1) + amount;
        v.year = index / 12;
        v.month = index % 12 + 1;
        v.precision = Unit::kMonth;
        return v;
      }
      case Unit::kWeek:
      case Unit::kDay: {
        if (base.precision != Unit::kDay && base.precision != Unit::kWeek) return {};
        v = CivilFromDays(DaysFromCivil(base.year, base.month, base.day) + amount * (unit == Unit::kWeek ? 7 : 1));
        v.precision = unit;
        return v;
      }
      default: return {};
    }
  }

  // A month (and day) without a year, placed around `base` as `pick` says.
  static DateValue PlaceMonth(const DateValue& base, int month, int day, DateRule::Pick pick, bool future) {
    DateValue v;
    v.month = month;
    v.day = day;
    v.precision = day > 0 ? Unit::kDay : Unit::kMonth;
    const bool base_has_month = base.precision == Unit::kMonth || base.precision == Unit::kDay || base.precision == Unit::kWeek;
    // Compare (month, day) with the base's; a month alone compares by month.
    auto cmp = [&] {
      if (!base_has_month) return 0;
      if (month != base.month) return month < base.month ? -1 : 1;
      if (day == 0 || base.precision == Unit::kMonth) return 0;
      return day < base.day ? -1 : (day > base.day ? 1 : 0);
    };
    const int c = cmp();
    switch (pick) {
      case DateRule::Pick::kSame: v.year = base.year; break;
      case DateRule::Pick::kBefore: v.year = (base_has_month && c < 0) ? base.year : base.year - 1; break;
      case DateRule::Pick::kAfter: v.year = (base_has_month && c > 0) ? base.year : base.year + 1; break;
      case DateRule::Pick::kTense:
      case DateRule::Pick::kNone:
        if (!base_has_month) v.year = base.year;
        else if (future) v.year = c >= 0 ? base.year : base.year + 1;
        else v.year = c <= 0 ? base.year : base.year - 1;
        break;
    }
    if (day > 0 && !ValidDay(v.year, month, day)) return {};
    return v;
  }

  // A weekday placed around a base day.
  static DateValue PlaceWeekday(const DateValue& base, int weekday, DateRule::Pick pick, bool future) {
    if (base.precision != Unit::kDay) return {};
    const int64_t days = DaysFromCivil(base.year, base.month, base.day);
    const int today = Weekday(days);
    int64_t target = days;
    switch (pick) {
      case DateRule::Pick::kBefore: target = days - ((today - weekday + 7) % 7 == 0 ? 7 : (today - weekday + 7) % 7); break;
      case DateRule::Pick::kAfter: target = days + ((weekday - today + 7) % 7 == 0 ? 7 : (weekday - today + 7) % 7); break;
      case DateRule::Pick::kSame: target = days - today + weekday; break;
      case DateRule::Pick::kTense:
      case DateRule::Pick::kNone:
        if (future) target = days + ((weekday - today + 7) % 7 == 0 ? 7 : (weekday - today + 7) % 7);
        else target = days - (today - weekday + 7) % 7;
        break;
    }
    return CivilFromDays(target);
  }

  DateValue Anchored(const DateRule& rule, const Parts& p, const DateValue& base, bool future) const {
    if (!base.ok()) return {};
    DateValue v = base;
    if (rule.has_shift) {
      std::string unit_name = rule.shift_unit;
      if (unit_name == "{unit}") {
        auto u = p.find("unit");
        if (u == p.end()) return {};
        unit_name = u->second;
      }
      const Unit unit = ParseUnit(unit_name);
      int amount = 0;
      if (rule.shift_amount.find("{n}") != std::string::npos) {
        auto n = p.find("n");
        amount = n == p.end() ? -1 : CountOf(n->second);
        if (amount < 0) return {};
        if (rule.shift_amount[0] == '-') amount = -amount;
      } else if (rule.shift_amount == "{word}") {
        auto w = p.find("word");
        if (w == p.end()) return {};
        amount = Lookup(offsets, w->second, 0);
      } else {
        amount = std::atoi(rule.shift_amount.c_str());
      }
      v = Shift(base, amount, unit);
      if (!v.ok()) return {};
    }
    if (auto season = p.find("season"); season != p.end()) {
      const int month = Lookup(seasons, season->second, 0);
      if (month < 1 || month > 12) return {};
      return PlaceMonth(v, month, 0, rule.pick, future);
    }
    if (auto m = p.find("month"); m != p.end()) {
      const int month = MonthOf(m->second);
      if (month < 1 || month > 12) return {};
      int day = 0;
      if (auto d = p.find("day"); d != p.end()) day = std::atoi(d->second.c_str());
      return PlaceMonth(v, month, day, rule.pick, future);
    }
    if (auto w = p.find("weekday"); w != p.end()) {
      const int weekday = Lookup(weekdays, w->second, 0);
      if (weekday == 0) return {};
      return PlaceWeekday(v, weekday, rule.pick, future);
    }
    return rule.has_shift ? v : DateValue{};
  }

  static DateValue Cut(DateValue v, Unit cut) {
    if (cut == Unit::kYear && (v.precision == Unit::kMonth || v.precision == Unit::kDay || v.precision == Unit::kWeek)) {
      v.month = v.day = 0;
      v.precision = Unit::kYear;
    } else if (cut == Unit::kMonth && (v.precision == Unit::kDay || v.precision == Unit::kWeek)) {
      v.day = 0;
      v.precision = Unit::kMonth;
    }
    return v;
  }

  // Matches of every rule that can fire in `sentence`, earlier rules keeping their text.
  std::vector<Candidate> Candidates(std::string_view text, const TextSpan& s) const {
    std::vector<Candidate> out;
    const std::string_view sentence = text.substr(s.start, s.end - s.start);
    std::vector<int> hits;
    RE2::Set::ErrorInfo error;
    if (!any->Match(re2::StringPiece(sentence.data(), sentence.size()), &hits, &error)) {
      if (error.kind != RE2::Set::kOutOfMemory) return out;
      // The combined automaton ran out of memory on this sentence: try every rule on its own.
      hits.clear();
      for (size_t i = 0; i < rules.size(); ++i) hits.push_back(static_cast<int>(i));
    }
    std::sort(hits.begin(), hits.end());
    std::vector<std::pair<size_t, size_t>> taken;
    for (int index : hits) {
      const DateRule& rule = *rules[index];
      const int n = rule.re->NumberOfCapturingGroups() + 1;
      std::vector<re2::StringPiece> groups(n);
      re2::StringPiece input(sentence.data(), sentence.size());
      size_t pos = 0;
      while (pos < sentence.size() && rule.re->Match(input, pos, sentence.size(), RE2::UNANCHORED, groups.data(), n)) {
        const size_t b = groups[0].data() - sentence.data(), e = b + groups[0].size();
        pos = e > b ? e : b + 1;
        if (e == b) continue;
        const bool overlaps = std::any_of(taken.begin(), taken.end(), [&](auto t) { return b < t.second && t.first < e; });
        if (overlaps) continue;
        taken.emplace_back(b, e);
        Candidate c{&rule, s.start + b, s.start + e, {}};
        if (rule.mention_group > 0 && groups[rule.mention_group].data() != nullptr) {
          c.start = s.start + (groups[rule.mention_group].data() - sentence.data());
          c.end = c.start + groups[rule.mention_group].size();
        }
        for (const auto& [name, group] : rule.groups) {
          if (groups[group].data() != nullptr && !groups[group].empty() && c.parts.count(name) == 0) {
            c.parts[name] = std::string(groups[group].data(), groups[group].size());
          }
        }
        out.push_back(std::move(c));
      }
    }
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.start < b.start; });
    return out;
  }

  std::vector<DateMention> Find(std::string_view text, const std::vector<TextSpan>& sentences, const std::string& anchor) const {
    std::vector<DateMention> found;
    DateValue publication;
    if (anchor.size() >= 10 && std::sscanf(anchor.c_str(), "%4d-%2d-%2d", &publication.year, &publication.month, &publication.day) == 3 &&
        ValidDay(publication.year, publication.month, publication.day)) {
      publication.precision = Unit::kDay;
    }
    DateValue previous;  // the last date in the text so far
    // The last one with a month: "a month later" after "... in early March 2022, ending a
    // relationship that began in 1964" counts from March 2022, a bare year giving no month.
    DateValue previous_month;
    for (const TextSpan& s : sentences) {
      const std::string_view sentence = text.substr(s.start, s.end - s.start);
      for (const Candidate& c : Candidates(text, s)) {
        if (c.rule->not_date) continue;
        DateValue value, end;
        if (c.rule->anchor == DateRule::Anchor::kNone) {
          value = Absolute(c.parts);
          if (value.ok()) end = RangeEnd(c.parts, value);
        } else {
          const DateValue& base = c.rule->anchor == DateRule::Anchor::kPrevious && previous.ok() ? previous : publication;
          const bool future = c.rule->pick == DateRule::Pick::kTense && Future(sentence, c.start - s.start, c.end - s.start);
          value = Anchored(*c.rule, c.parts, base, future);
          if (!value.ok() && &base == &previous && previous_month.ok()) value = Anchored(*c.rule, c.parts, previous_month, future);
        }
        if (!value.ok()) continue;
        value = Cut(value, c.rule->cut);
        DateMention m;
        m.start = c.start;
        m.end = c.end;
        m.text = std::string(text.substr(c.start, c.end - c.start));
        m.value = Format(value);
        if (end.ok()) m.end_value = Format(Cut(end, c.rule->cut));
        if (value.precision != Unit::kDecade) previous = value;
        if (value.precision == Unit::kMonth || value.precision == Unit::kDay || value.precision == Unit::kWeek) previous_month = value;
        found.push_back(std::move(m));
      }
    }
    return found;
  }
};

DateFinder::DateFinder() : impl_(std::make_unique<Impl>()) {}
DateFinder::~DateFinder() = default;
size_t DateFinder::size() const { return impl_->rules.size(); }

std::vector<DateMention> DateFinder::Find(std::string_view text, const std::vector<TextSpan>& sentences,
                                          const std::string& anchor) const {
  return impl_->Find(text, sentences, anchor);
}

std::string DateFinder::EventDate(const std::string& value) {
  static const RE2 kIso(R"(\d{4}(?:-\d{2}(?:-\d{2})?)?)");
  if (RE2::FullMatch(value, kIso)) return value;
  int year = 0, week = 0;
  if (std::sscanf(value.c_str(), "%4d-W%2d", &year, &week) == 2) {
    // The Thursday of ISO week `week`: Jan 4 is always in week 1.
    const int64_t jan4 = DaysFromCivil(year, 1, 4);
    const int64_t thursday = jan4 - Weekday(jan4) + 4 + (week - 1) * 7;
    DateValue t = CivilFromDays(thursday);
    t.precision = Unit::kMonth;
    return Format(t);
  }
  return {};
}

Result<std::unique_ptr<DateFinder>> DateFinder::Load(const std::string& path) {
  auto parsed = ParseRuleFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = parsed.value();
  std::unique_ptr<DateFinder> finder(new DateFinder());
  Impl& impl = *finder->impl_;

  struct Table {
    const char* name;
    std::map<std::string, int>* to;
  };
  for (const Table& t : {Table{"months", &impl.months}, Table{"weekdays", &impl.weekdays}, Table{"numbers", &impl.numbers},
                         Table{"offsets", &impl.offsets}, Table{"seasons", &impl.seasons}}) {
    const toml::node* node = root.at_path(std::string("words.") + t.name).node();
    if (node == nullptr) continue;
    const toml::table* table = node->as_table();
    if (table == nullptr) return Status::InvalidArgument(RuleWhere(path, *node) + ": words." + t.name + " must be a table of word = number");
    for (const auto& [key, value] : *table) {
      auto n = value.value<int64_t>();
      if (!n) return Status::InvalidArgument(RuleWhere(path, value) + ": words." + t.name + "." + std::string(key.str()) + " must be a number");
      (*t.to)[WordKey(key.str())] = static_cast<int>(*n);
    }
  }
  if (impl.months.empty()) return Status::InvalidArgument(path + ": [words] needs months = { january = 1, ... }");

  RE2::Options options;
  options.set_log_errors(false);
  // Room for the automata's cached states (the default 8 MB makes the combined rules start over).
  options.set_max_mem(int64_t{32} << 20);
  for (const char* which : {"future", "past"}) {
    auto cue = root.at_path(std::string("tense.") + which).value<std::string>();
    if (!cue) return Status::InvalidArgument(path + ": [tense] needs " + which + " = 'pattern'");
    auto re = std::make_unique<RE2>(*cue, options);
    if (!re->ok()) return Status::InvalidArgument(RuleWhere(path, *root.at_path(std::string("tense.") + which).node()) + ": bad pattern: " + re->error());
    (std::string(which) == "future" ? impl.future : impl.past) = std::move(re);
  }

  auto defines = ReadRuleDefines(root, path);
  if (!defines.ok()) return defines.status();
  const toml::array* list = root["date"].as_array();
  if (list == nullptr || list->empty()) return Status::InvalidArgument(path + ": no [[date]] rules");
  impl.any = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  std::set<std::string> ids;
  for (const auto& node : *list) {
    const std::string where = RuleWhere(path, node);
    const toml::table* t = node.as_table();
    if (!t) return Status::InvalidArgument(where + ": each [[date]] must be a table");
    auto rule = std::make_unique<DateRule>();
    auto id = (*t)["id"].value<std::string>();
    auto pattern = (*t)["pattern"].value<std::string>();
    if (!id || id->empty()) return Status::InvalidArgument(where + ": date rule without an id");
    if (!ids.insert(*id).second) return Status::InvalidArgument(where + ": duplicate date rule id '" + *id + "'");
    if (!pattern) return Status::InvalidArgument(where + ": date rule '" + *id + "' has no pattern");
    rule->id = *id;
    const std::string at = where + ": date rule '" + *id + "': ";
    rule->not_date = (*t)["not_date"].value_or(false);
    const std::string anchor = (*t)["anchor"].value_or(std::string());
    if (anchor == "publication") rule->anchor = DateRule::Anchor::kPublication;
    else if (anchor == "previous") rule->anchor = DateRule::Anchor::kPrevious;
    else if (!anchor.empty()) return Status::InvalidArgument(at + "anchor must be \"publication\" or \"previous\"");
    const std::string pick = (*t)["pick"].value_or(std::string());
    if (pick == "tense") rule->pick = DateRule::Pick::kTense;
    else if (pick == "before") rule->pick = DateRule::Pick::kBefore;
    else if (pick == "after") rule->pick = DateRule::Pick::kAfter;
    else if (pick == "same") rule->pick = DateRule::Pick::kSame;
    else if (!pick.empty()) return Status::InvalidArgument(at + "pick must be tense, before, after or same");
    if (auto shift = (*t)["shift"].value<std::string>()) {
      static const RE2 kShift(R"(([+-]?(?:\d+|\{n\})|\{word\})\s+(day|week|month|year|\{unit\}))");
      if (!RE2::FullMatch(*shift, kShift, &rule->shift_amount, &rule->shift_unit)) {
        return Status::InvalidArgument(at + "shift must look like \"-1 year\", \"+{n} month\", \"0 {unit}\" or \"{word} day\"");
      }
      rule->has_shift = true;
    }
    if (rule->anchor == DateRule::Anchor::kNone && (rule->has_shift || rule->pick != DateRule::Pick::kNone)) {
      return Status::InvalidArgument(at + "shift and pick need an anchor");
    }
    const std::string precision = (*t)["precision"].value_or(std::string());
    if (precision == "year") rule->cut = Unit::kYear;
    else if (precision == "month") rule->cut = Unit::kMonth;
    else if (!precision.empty()) return Status::InvalidArgument(at + "precision must be \"year\" or \"month\"");
    auto expanded = ExpandRuleDefines(*pattern, defines.value());
    if (!expanded.ok()) return Status::InvalidArgument(at + expanded.status().message());
    rule->re = std::make_unique<RE2>(*expanded, options);
    if (!rule->re->ok()) return Status::InvalidArgument(at + "bad pattern: " + rule->re->error());
    static const std::set<std::string> kParts = {"year", "month", "day", "weekday", "n", "decade", "end_year",
                                                 "end_month", "end_day", "unit", "word", "season", "mention"};
    // By group number, so a name used twice in alternatives ("this {MONTH}|{MONTH} this year") counts.
    for (const auto& [group, name] : rule->re->CapturingGroupNames()) {
      std::string canonical = name;
      while (!canonical.empty() && std::isdigit(static_cast<unsigned char>(canonical.back()))) canonical.pop_back();
      if (kParts.count(canonical) == 0) return Status::InvalidArgument(at + "unknown group (?P<" + name + ">)");
      if (canonical == "mention") rule->mention_group = group;
      else rule->groups.emplace_back(canonical, group);
    }
    std::sort(rule->groups.begin(), rule->groups.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    std::string error;
    if (impl.any->Add(LoosenRepetitions(*expanded), &error) < 0) return Status::InvalidArgument(at + "bad pattern: " + error);
    impl.rules.push_back(std::move(rule));
  }
  if (!impl.any->Compile()) return Status::InvalidArgument(path + ": the date rules together are too large for RE2");
  return finder;
}

}  // namespace tw
