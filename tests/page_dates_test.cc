#include <catch2/catch.hpp>

#include "pipeline/page_dates.h"

using tw::FindDate;

TEST_CASE("page dates: machine-readable values") {
  CHECK(FindDate("2019-11-18T10:00:00Z") == "2019-11-18");
  CHECK(FindDate("2019-11-18") == "2019-11-18");
  CHECK(FindDate("2019/11/18 10:00") == "2019-11-18");
  CHECK(FindDate("2019.1.8") == "2019-01-08");
  CHECK(FindDate("20191118") == "2019-11-18");
  CHECK(FindDate("20191118T101500") == "2019-11-18");
  CHECK(FindDate("Mon, 18 Nov 2019 10:00:00 GMT") == "2019-11-18");
  CHECK(FindDate("1574071200") == "2019-11-18");     // Unix seconds
  CHECK(FindDate("1574071200000") == "2019-11-18");  // and milliseconds
}

TEST_CASE("page dates: datelines in several languages") {
  CHECK(FindDate("November 18, 2019 | 10:30 AM") == "2019-11-18");
  CHECK(FindDate("Posted on Nov. 18th, 2019") == "2019-11-18");
  CHECK(FindDate("18 November 2019") == "2019-11-18");
  CHECK(FindDate("le 14 mars 2008") == "2008-03-14");
  CHECK(FindDate("1er décembre 2020") == "2020-12-01");
  CHECK(FindDate("18. November 2019, 14:30 Uhr") == "2019-11-18");
  CHECK(FindDate("4. März 2021") == "2021-03-04");
  CHECK(FindDate("12 de mayo de 2022") == "2022-05-12");
  CHECK(FindDate("3 giugno 2020") == "2020-06-03");
  CHECK(FindDate("7 januari 2021") == "2021-01-07");
  CHECK(FindDate("5 de março de 2019") == "2019-03-05");
  CHECK(FindDate("18.11.2019") == "2019-11-18");  // dots: day first
  CHECK(FindDate("18/11/2019") == "2019-11-18");  // a day over 12 settles the order
  CHECK(FindDate("11/18/2019") == "2019-11-18");
}

TEST_CASE("page dates: the first date wins, and what is not a full date is nothing") {
  CHECK(FindDate("Published 3 May 2020, updated 5 May 2020") == "2020-05-03");
  CHECK(FindDate("05/06/2020").empty());  // day and month could be either
  CHECK(FindDate("May 2020").empty());
  CHECK(FindDate("2019-02-30").empty());  // no such day
  CHECK(FindDate("2021-02-29").empty());
  CHECK(FindDate("2020-02-29") == "2020-02-29");
  CHECK(FindDate("Call 1234567890 now").empty());
  CHECK(FindDate("article 123456789012345").empty());
  CHECK(FindDate("").empty());
  CHECK(tw::IsoDateOfUnixTime(0) == "1970-01-01");
}
