#include "tests/fuzz/fuzz_util.h"

#include <cctype>

namespace tw::fuzz {

namespace {
bool Digits(const std::string& s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}
}  // namespace

bool IsIsoDate(const std::string& v) {
  if (!(v.size() == 4 || v.size() == 7 || v.size() == 10) || !Digits(v, 0, 4)) return false;
  if (v.size() == 4) return true;
  if (v[4] != '-' || !Digits(v, 5, 2)) return false;
  const int year = std::stoi(v.substr(0, 4));
  const int month = std::stoi(v.substr(5, 2));
  if (month < 1 || month > 12) return false;
  if (v.size() == 7) return true;
  if (v[7] != '-' || !Digits(v, 8, 2)) return false;
  const int day = std::stoi(v.substr(8, 2));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = month == 2 && leap ? 29 : kDays[month - 1];
  return day >= 1 && day <= days;
}

bool IsDateValue(const std::string& v) {
  if (IsIsoDate(v)) return true;
  // "YYYY-Www" (an ISO week) or "YYYX" (a decade): values the date layer gives that are no calendar date.
  if (v.size() == 8) return Digits(v, 0, 4) && v[4] == '-' && v[5] == 'W' && Digits(v, 6, 2);
  return v.size() == 4 && Digits(v, 0, 3) && v[3] == 'X';
}

}  // namespace tw::fuzz
