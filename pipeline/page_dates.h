// Calendar dates as web pages write them, for publication-date metadata: machine values in
// meta tags and JSON-LD ("2019-11-18T10:00:00Z", "Mon, 18 Nov 2019 10:00:00 GMT", "20191118",
// Unix seconds) and datelines a reader sees ("November 18, 2019", "18. November 2019",
// "18 de noviembre de 2019", "18.11.2019"). Only full dates with a year count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tw {

// The first date in `text` as "YYYY-MM-DD", or empty. Month names are read in English, French,
// German, Spanish, Italian, Dutch and Portuguese. Numeric day/month orders are taken only when
// they are unambiguous (year first, a day over 12, or dots as in "18.11.2019").
std::string FindDate(std::string_view text);

// "YYYY-MM-DD" of a Unix time (UTC).
std::string IsoDateOfUnixTime(int64_t seconds);

}  // namespace tw
