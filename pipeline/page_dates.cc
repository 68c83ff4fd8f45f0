#include "pipeline/page_dates.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>
#include <ctime>
#include <string>
#include <utility>

namespace tw {

namespace {

// Month names and abbreviations, lowercase, with their number.
constexpr std::pair<std::string_view, int> kMonths[] = {
    // English
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6}, {"july", 7},
    {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
    {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7}, {"aug", 8}, {"sep", 9}, {"sept", 9},
    {"oct", 10}, {"nov", 11}, {"dec", 12},
    // French
    {"janvier", 1}, {"février", 2}, {"fevrier", 2}, {"mars", 3}, {"avril", 4}, {"mai", 5}, {"juin", 6},
    {"juillet", 7}, {"août", 8}, {"aout", 8}, {"septembre", 9}, {"octobre", 10}, {"novembre", 11},
    {"décembre", 12}, {"decembre", 12},
    // German
    {"januar", 1}, {"jänner", 1}, {"februar", 2}, {"märz", 3}, {"maerz", 3}, {"juni", 6}, {"juli", 7},
    {"oktober", 10}, {"dezember", 12}, {"okt", 10}, {"dez", 12},
    // Spanish
    {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6}, {"julio", 7},
    {"agosto", 8}, {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
    // Italian
    {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"giugno", 6}, {"luglio", 7},
    {"settembre", 9}, {"ottobre", 10}, {"dicembre", 12},
    // Dutch
    {"januari", 1}, {"februari", 2}, {"maart", 3}, {"mei", 5}, {"augustus", 8},
    // Portuguese
    {"janeiro", 1}, {"fevereiro", 2}, {"março", 3}, {"marco", 3}, {"maio", 5}, {"junho", 6}, {"julho", 7},
    {"outubro", 10}, {"dezembro", 12},
};

int MonthNumber(std::string_view name) {
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (!lower.empty() && lower.back() == '.') lower.pop_back();
  for (const auto& [n, number] : kMonths) {
    if (n == lower) return number;
  }
  return 0;
}

std::string MonthAlternation() {
  std::string alt;
  // Longest first, so "september" wins over "sep".
  std::vector<std::string_view> names;
  for (const auto& [n, number] : kMonths) names.push_back(n);
  std::sort(names.begin(), names.end(), [](auto a, auto b) { return a.size() > b.size(); });
  for (auto n : names) {
    if (!alt.empty()) alt += '|';
    alt += n;
  }
  return alt;
}

bool DaysFit(int year, int month, int day) {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

std::string Iso(int year, int month, int day) {
  if (!DaysFit(year, month, day)) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

struct Patterns {
  RE2 iso{R"((?:^|[^\d])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$))"};
  RE2 day_month_year{"(?i)(?:^|[^\\pL\\d])(\\d{1,2})(?:st|nd|rd|th|er|º)?\\.?\\s*(?:de\\s+)?(" + MonthAlternation() +
                     ")\\.?,?\\s*(?:de\\s+|of\\s+)?(\\d{4})(?:[^\\d]|$)"};
  RE2 month_day_year{"(?i)(?:^|[^\\pL])(" + MonthAlternation() +
                     ")\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?:[^\\d]|$)"};
  RE2 numeric{R"((?:^|[^\d./])(\d{1,2})([./-])(\d{1,2})[./-](\d{4})(?:[^\d]|$))"};
  RE2 compact{R"(^\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:T[\d:]*)?\s*$)"};
  RE2 unix_seconds{R"(^\s*(\d{10})(\d{3})?\s*$)"};
};

const Patterns& GetPatterns() {
  static const Patterns kPatterns;  // immutable after construction
  return kPatterns;
}

// Runs `re` over `text`; on a match sets `*where` to its start and fills `groups`.
template <size_t N>
bool Search(const RE2& re, std::string_view text, size_t* where, re2::StringPiece (&groups)[N]) {
  re2::StringPiece whole[N + 1];
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, whole, N + 1)) return false;
  *where = static_cast<size_t>(whole[0].data() - text.data());
  for (size_t i = 0; i < N; ++i) groups[i] = whole[i + 1];
  return true;
}

int Number(re2::StringPiece s) { return std::atoi(std::string(s.data(), s.size()).c_str()); }

}  // namespace

std::string IsoDateOfUnixTime(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string FindDate(std::string_view text) {
  const Patterns& p = GetPatterns();
  {
    re2::StringPiece g[2];
    size_t where = 0;
    if (Search(p.unix_seconds, text, &where, g)) {
      const int64_t seconds = std::atoll(std::string(g[0].data(), g[0].size()).c_str());
      // Plausible publication times only (2001-09-09 to 2100).
      if (seconds >= 1000000000 && seconds < 4102444800) return IsoDateOfUnixTime(seconds);
      return {};
    }
  }
  std::string best;
  size_t best_at = std::string_view::npos;
  auto consider = [&](size_t where, std::string iso) {
    if (!iso.empty() && where < best_at) {
      best_at = where;
      best = std::move(iso);
    }
  };
  re2::StringPiece g[4];
  size_t where = 0;
  if (Search(p.compact, text, &where, g)) consider(where, Iso(Number(g[0]), Number(g[1]), Number(g[2])));
  if (Search(p.iso, text, &where, g)) consider(where, Iso(Number(g[0]), Number(g[1]), Number(g[2])));
  if (Search(p.day_month_year, text, &where, g)) {
    consider(where, Iso(Number(g[2]), MonthNumber(std::string_view(g[1].data(), g[1].size())), Number(g[0])));
  }
  if (Search(p.month_day_year, text, &where, g)) {
    consider(where, Iso(Number(g[2]), MonthNumber(std::string_view(g[0].data(), g[0].size())), Number(g[1])));
  }
  if (Search(p.numeric, text, &where, g)) {
    const int a = Number(g[0]), b = Number(g[2]), year = Number(g[3]);
    const bool dots = g[1] == ".";
    if (a > 12 || dots) consider(where, Iso(year, b, a));  // day first
    else if (b > 12) consider(where, Iso(year, a, b));      // month first (US)
  }
  return best;
}

}  // namespace tw
