#include <catch2/catch.hpp>

#include <algorithm>

#include "storage/merge.h"

using namespace tw;

namespace {

EventSource Report(const std::string& article, const std::string& date, size_t start = 0) {
  EventSource s;
  s.article_id = article;
  s.date = date;
  s.start = start;
  s.evidence = article + "@" + std::to_string(start);
  return s;
}

std::vector<std::string> Dates(const std::vector<MergedEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.date + ":" + std::to_string(e.sources.size()));
  return out;
}

}  // namespace

TEST_CASE("a date refines another only at a date boundary") {
  CHECK(DateRefines("", "2019"));
  CHECK(DateRefines("2019", "2019-10"));
  CHECK(DateRefines("2019", "2019-10-07"));
  CHECK(DateRefines("2019-10", "2019-10-07"));
  CHECK_FALSE(DateRefines("2019", "2019"));
  CHECK_FALSE(DateRefines("2019-1", "2019-10"));
  CHECK_FALSE(DateRefines("2019-10", "2019"));
  CHECK_FALSE(DateRefines("2019-10", "2019-11-01"));
  CHECK_FALSE(DateRefines("", ""));
}

TEST_CASE("compatible reports merge to the most precise date, and conflicting ones stay apart") {
  CHECK(Dates(MergeReports({Report("a", "2019"), Report("b", "2019-10"), Report("c", "2019-10-07")})) ==
        std::vector<std::string>{"2019-10-07:3"});
  CHECK(Dates(MergeReports({Report("a", "2019-10"), Report("b", "2020-01")})) ==
        std::vector<std::string>{"2019-10:1", "2020-01:1"});
  // "2019" fits both 2019-10 and 2019-11: it cannot say which, so it stays apart.
  CHECK(Dates(MergeReports({Report("a", "2019"), Report("b", "2019-10"), Report("c", "2019-11")})) ==
        std::vector<std::string>{"2019:1", "2019-10:1", "2019-11:1"});
  // Undated fits the only dated event.
  CHECK(Dates(MergeReports({Report("a", ""), Report("b", "1959-06-27")})) == std::vector<std::string>{"1959-06-27:2"});
  CHECK(Dates(MergeReports({Report("a", ""), Report("b", "")})) == std::vector<std::string>{":2"});
  CHECK(MergeReports({}).empty());
}

TEST_CASE("the merge does not depend on the order of the reports, and keeps one report per article") {
  std::vector<EventSource> reports = {Report("a", "2019", 5),    Report("a", "2019-10", 90), Report("b", "2019-10-07"),
                                      Report("c", "2020"),       Report("c", "2020", 3),     Report("d", ""),
                                      Report("e", "2019-10", 1)};
  const auto expected = MergeReports(reports);
  // d (undated) fits both events, so it stays apart.
  REQUIRE(Dates(expected) == std::vector<std::string>{":1", "2019-10-07:3", "2020:1"});
  // Article a: its October report (more precise) stands for it; c: its earliest.
  CHECK(expected[1].sources[0].evidence == "a@90");
  CHECK(expected[2].sources[0].evidence == "c@0");
  std::sort(reports.begin(), reports.end(), [](const EventSource& x, const EventSource& y) { return x.evidence < y.evidence; });
  do {
    const auto merged = MergeReports(reports);
    REQUIRE(merged.size() == expected.size());
    for (size_t i = 0; i < merged.size(); ++i) {
      REQUIRE(merged[i].sources.size() == expected[i].sources.size());
      for (size_t k = 0; k < merged[i].sources.size(); ++k) CHECK(merged[i].sources[k].evidence == expected[i].sources[k].evidence);
    }
  } while (std::next_permutation(reports.begin(), reports.end(),
                                 [](const EventSource& x, const EventSource& y) { return x.evidence < y.evidence; }));
}
