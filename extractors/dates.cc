#include "extractors/dates.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace tw {

namespace {

// Month number for an English month name or abbreviation ("Sept.", "october"), 0 if none.
int MonthNumber(std::string_view name) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string lower;
  for (char c : name) {
    if (std::isalpha(static_cast<unsigned char>(c))) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (lower.size() < 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (lower.compare(0, 3, kMonths[i]) == 0) return i + 1;
  }
  return 0;
}

std::string Iso(int year, int month = 0, int day = 0) {
  char buf[16];
  if (month == 0) std::snprintf(buf, sizeof buf, "%04d", year);
  else if (day == 0) std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  else std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

bool ValidDay(int year, int month, int day) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > kDays[month - 1]) return false;
  if (month == 2 && day == 29) return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return true;
}

constexpr const char* kMonth =
    R"((Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?))";

}  // namespace

struct DateFinder::Impl {
  enum class Form { kMonthDayYear, kDayMonthYear, kMonthYear, kIso, kYear, kMonthDay };
  struct Pattern {
    Form form;
    std::unique_ptr<RE2> re;
  };
  std::vector<Pattern> patterns;

  Impl() {
    const std::string m = kMonth;
    auto add = [&](Form form, const std::string& re) { patterns.push_back({form, std::make_unique<RE2>(re)}); };
    // Most specific first; a later pattern never takes text an earlier one matched.
    add(Form::kIso, R"(\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b)");
    add(Form::kMonthDayYear, R"(\b)" + m + R"(\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b)");
    add(Form::kDayMonthYear, R"(\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)" + m + R"(,?\s+((?:19|20)\d{2})\b)");
    add(Form::kMonthYear, R"(\b)" + m + R"(,?\s+(?:of\s+)?((?:19|20)\d{2})\b)");
    add(Form::kMonthDay, R"(\b)" + m + R"(\s+(\d{1,2})(?:st|nd|rd|th)?\b)");
    // A bare year only after a word that makes it a time: "in 1973", "since 1980".
    add(Form::kYear, R"(\b(?:[Ii]n|[Ss]ince|[Bb]y|[Ff]rom|[Uu]ntil|[Tt]ill|[Dd]uring|[Oo]f|[Ee]arly|[Ll]ate|[Ss]ummer|[Ww]inter|[Ss]pring|[Aa]utumn|[Ff]all|[Yy]ear)\s+((?:19|20)\d{2})\b)");
    for (const auto& p : patterns) {
      if (!p.re->ok()) std::fprintf(stderr, "internal date pattern error: %s\n", p.re->error().c_str());
    }
  }

  std::vector<DateMention> Find(std::string_view text, const std::string& anchor) const {
    std::vector<DateMention> found;
    std::vector<std::pair<size_t, size_t>> taken;
    auto overlaps = [&](size_t b, size_t e) {
      for (auto [tb, te] : taken) {
        if (b < te && tb < e) return true;
      }
      return false;
    };
    const int anchor_year = anchor.size() >= 4 ? std::atoi(anchor.substr(0, 4).c_str()) : 0;
    for (const auto& p : patterns) {
      re2::StringPiece input(text.data(), text.size());
      re2::StringPiece groups[4];
      size_t pos = 0;
      const int ngroups = std::min(p.re->NumberOfCapturingGroups() + 1, 4);
      while (pos < text.size() && p.re->Match(input, pos, text.size(), RE2::UNANCHORED, groups, ngroups)) {
        size_t b = groups[0].data() - text.data();
        size_t e = b + groups[0].size();
        pos = e > b ? e : b + 1;
        auto g = [&](int i) { return std::string(groups[i].data(), groups[i].size()); };
        DateMention dm;
        switch (p.form) {
          case Form::kIso: {
            int y = std::stoi(g(1)), mo = std::stoi(g(2)), d = std::stoi(g(3));
            if (!ValidDay(y, mo, d)) continue;
            dm.value = Iso(y, mo, d);
            break;
          }
          case Form::kMonthDayYear: {
            int mo = MonthNumber(g(1)), d = std::stoi(g(2)), y = std::stoi(g(3));
            if (!ValidDay(y, mo, d)) continue;
            dm.value = Iso(y, mo, d);
            break;
          }
          case Form::kDayMonthYear: {
            int d = std::stoi(g(1)), mo = MonthNumber(g(2)), y = std::stoi(g(3));
            if (!ValidDay(y, mo, d)) continue;
            dm.value = Iso(y, mo, d);
            break;
          }
          case Form::kMonthYear: {
            int mo = MonthNumber(g(1)), y = std::stoi(g(2));
            if (mo == 0) continue;
            // "May 2019" is a date; "may" the verb is lowercase and never reaches here.
            dm.value = Iso(y, mo);
            break;
          }
          case Form::kMonthDay: {
            int mo = MonthNumber(g(1)), d = std::stoi(g(2));
            if (anchor_year == 0 || !ValidDay(anchor_year, mo, d)) continue;
            // "May 5" after the verb "may" is rare; the month must be capitalised, as RE2 matched.
            dm.value = Iso(anchor_year, mo, d);
            break;
          }
          case Form::kYear: {
            // Only the year itself is the mention, not the preposition.
            b = groups[1].data() - text.data();
            dm.value = g(1);
            break;
          }
        }
        if (overlaps(b, e)) continue;
        dm.start = b;
        dm.end = e;
        dm.text = std::string(text.substr(b, e - b));
        taken.emplace_back(b, e);
        found.push_back(std::move(dm));
      }
    }
    std::sort(found.begin(), found.end(), [](const DateMention& a, const DateMention& b) { return a.start < b.start; });
    return found;
  }
};

DateFinder::DateFinder() : impl_(std::make_unique<Impl>()) {}
DateFinder::~DateFinder() = default;

std::vector<DateMention> DateFinder::Find(std::string_view text, const std::string& anchor) const {
  return impl_->Find(text, anchor);
}

}  // namespace tw
