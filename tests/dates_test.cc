#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "extractors/dates.h"
#include "extractors/text.h"
#include "tests/rules_fixture.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

const DateFinder& ProjectDates() { return tw::test::ProjectRules<DateFinder>("rules/dates.toml"); }
const SentenceSplitter& ProjectSentences() { return tw::test::ProjectRules<SentenceSplitter>("rules/text.toml"); }

std::vector<DateMention> Dates(const std::string& text, const std::string& published) {
  return ProjectDates().Find(text, ProjectSentences().Split(text), published);
}

// "value" or "value/end_value" of the first mention.
std::string FirstValue(const std::string& text, const std::string& published = "2023-07-05") {
  auto found = Dates(text, published);
  if (found.empty()) return "none";
  return found[0].end_value.empty() ? found[0].value : found[0].value + "/" + found[0].end_value;
}

struct GoldDate {
  size_t start, end;
  std::string value;
};

// One line of tests/dates/dates.gold.txt: the plain text and its marked dates.
void ParseGoldLine(const std::string& marked, std::string* text, std::vector<GoldDate>* gold) {
  for (size_t i = 0; i < marked.size();) {
    if (marked[i] == '[') {
      const size_t close = marked.find("]{", i);
      const size_t brace = marked.find('}', close);
      GoldDate g{text->size(), 0, marked.substr(close + 2, brace - close - 2)};
      *text += marked.substr(i + 1, close - i - 1);
      g.end = text->size();
      gold->push_back(g);
      i = brace + 1;
    } else {
      text->push_back(marked[i++]);
    }
  }
}

}  // namespace

TEST_CASE("absolute dates keep the precision the text gives") {
  CHECK(FirstValue("It was signed on Nov. 22, 2019 in Ottawa.") == "2019-11-22");
  CHECK(FirstValue("The pact dates from July 1980.") == "1980-07");
  CHECK(FirstValue("They paired in 1973.") == "1973");
  CHECK(FirstValue("They met on 3 September 2021.") == "2021-09-03");
  CHECK(FirstValue("They met on 2021-09-03.") == "2021-09-03");
  CHECK(FirstValue("It grew in mid-2021.") == "2021");
  CHECK(FirstValue("It began in the 1990s.") == "199X");
  CHECK(FirstValue("It ran from 2019 to 2021.") == "2019/2021");
}

TEST_CASE("partial and relative dates are anchored on the publication date, with tense") {
  CHECK(FirstValue("They met on June 27.") == "2023-06-27");
  CHECK(FirstValue("It was reported in March this year.") == "2023-03");
  CHECK(FirstValue("He wrote this June.") == "2023-06");
  CHECK(FirstValue("It happened last week.") == "2023-W26");
  CHECK(FirstValue("The council voted on Wednesday.", "2023-11-08") == "2023-11-08");
  CHECK(FirstValue("The council voted on Tuesday.", "2023-11-08") == "2023-11-07");
  CHECK(FirstValue("The council will vote on Tuesday.", "2023-11-08") == "2023-11-14");
  CHECK(FirstValue("They met on December 15.", "2024-01-05") == "2023-12-15");
  CHECK(FirstValue("It will open on December 15.", "2023-07-05") == "2023-12-15");
  CHECK(FirstValue("They met last year.") == "2022");
  CHECK(FirstValue("They met last March.") == "2023-03");
  CHECK(FirstValue("Nothing dated here.", "") == "none");
  CHECK(FirstValue("They met on June 27.", "") == "none");  // no anchor: left out
}

TEST_CASE("anaphoric dates are anchored on the previous date in the text") {
  auto found = Dates("Prague ended it in October 2019. The next January, Prague signed. A year later it was over.", "2023-07-05");
  REQUIRE(found.size() == 3);
  CHECK(found[1].text == "The next January");
  CHECK(found[1].value == "2020-01");
  CHECK(found[2].value == "2021");
}

TEST_CASE("counts, durations, ordinals and the modal may are no dates") {
  CHECK(Dates("Sweden terminated 21 and 163 cities were urged to act.", "2023-07-05").empty());
  CHECK(Dates("The tie lasted five years and marked its 60th anniversary.", "2023-07-05").empty());
  CHECK(Dates("Some 2000 residents came; the city may sign.", "2023-07-05").empty());
  CHECK(Dates("It cost $2019 per head.", "2023-07-05").empty());
}

TEST_CASE("date rule files with errors fail to load with FILE:LINE") {
  tw::test::TempDir dir;
  const std::string head = "[words]\nmonths = { may = 5 }\n[tense]\nfuture = 'will'\npast = 'did'\n";
  tw::test::WriteFile(dir / "d.toml", head + "[[date]]\nid = \"x\"\npattern = '(unclosed'\n");
  auto bad = DateFinder::Load(dir / "d.toml");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::StartsWith(dir / "d.toml:6: date rule 'x': bad pattern"));
  tw::test::WriteFile(dir / "d.toml", head + "[[date]]\nid = \"x\"\npattern = 'May'\nanchor = \"tomorrow\"\n");
  auto anchor = DateFinder::Load(dir / "d.toml");
  REQUIRE_FALSE(anchor.ok());
  CHECK_THAT(anchor.status().message(), Catch::Contains("anchor must be"));
  tw::test::WriteFile(dir / "d.toml", head + "[[date]]\nid = \"x\"\npattern = '(?P<when>May)'\n");
  auto group = DateFinder::Load(dir / "d.toml");
  REQUIRE_FALSE(group.ok());
  CHECK_THAT(group.status().message(), Catch::Contains("unknown group (?P<when>)"));
}

TEST_CASE("event dates drop what the contract cannot hold: weeks become months, decades nothing") {
  CHECK(DateFinder::EventDate("2019-10") == "2019-10");
  CHECK(DateFinder::EventDate("2023-W26") == "2023-06");
  CHECK(DateFinder::EventDate("199X").empty());
}

// The date layer's figures on a gold file ("PUBLISHED | text" lines, tests/dates/): a found date
// counts as right when it overlaps a gold one; accuracy is the share of those whose value is
// exactly the gold value.
struct DateFigures {
  size_t lines = 0, gold = 0, predicted = 0;
  double precision = 0, recall = 0, accuracy = 0;
};

DateFigures ScoreDateFile(const std::string& name) {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/tests/dates/" + name);
  REQUIRE(in.good());
  size_t predicted = 0, gold_total = 0, matched = 0, exact = 0, lines = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t bar = line.find(" | ");
    REQUIRE(bar != std::string::npos);
    std::string text;
    std::vector<GoldDate> gold;
    ParseGoldLine(line.substr(bar + 3), &text, &gold);
    ++lines;
    auto found = Dates(text, line.substr(0, bar));
    predicted += found.size();
    gold_total += gold.size();
    std::vector<bool> used(gold.size(), false);
    for (const auto& d : found) {
      bool hit = false;
      for (size_t i = 0; i < gold.size() && !hit; ++i) {
        if (used[i] || d.end <= gold[i].start || gold[i].end <= d.start) continue;
        used[i] = hit = true;
        ++matched;
        const std::string value = d.end_value.empty() ? d.value : d.value + "/" + d.end_value;
        if (value == gold[i].value) ++exact;
        else WARN("value " << value << " != " << gold[i].value << " in: " << text);
      }
      if (!hit) WARN("not a date: '" << d.text << "' in: " << text);
    }
    for (size_t i = 0; i < gold.size(); ++i) {
      if (!used[i]) WARN("missed '" << text.substr(gold[i].start, gold[i].end - gold[i].start) << "' in: " << text);
    }
  }
  DateFigures f;
  f.lines = lines;
  f.gold = gold_total;
  f.predicted = predicted;
  f.precision = predicted ? double(matched) / predicted : 1;
  f.recall = gold_total ? double(matched) / gold_total : 1;
  f.accuracy = matched ? double(exact) / matched : 0;
  std::printf("date layer on %s, %zu texts: %zu gold, %zu found; precision %.3f recall %.3f value accuracy %.3f\n", name.c_str(),
              lines, gold_total, predicted, f.precision, f.recall, f.accuracy);
  return f;
}

// The bar for dates: precision >= 0.95, recall >= 0.9, value accuracy >= 0.95.
void CheckDateBar(const std::string& file, size_t min_lines) {
  const DateFigures f = ScoreDateFile(file);
  CHECK(f.lines >= min_lines);
  CHECK(f.precision >= 0.95);
  CHECK(f.recall >= 0.9);
  CHECK(f.accuracy >= 0.95);
}

TEST_CASE("date layer precision, recall and value accuracy on the date test set") { CheckDateBar("dates.gold.txt", 60); }

// Written after the rules and measured before any rule was tuned on it: the figure for unseen text.
TEST_CASE("date layer figures on the held-out date set") { CheckDateBar("dates-heldout.gold.txt", 25); }

// A second held-out set, written blind (without reading the rules) by another engineer; measured
// before tuning: precision 1.000, recall 0.920, value accuracy 0.957.
TEST_CASE("date layer figures on the second held-out date set") { CheckDateBar("dates-heldout-3.gold.txt", 30); }

// A third held-out set, written blind by another engineer; measured before tuning: precision 0.960,
// recall 0.960, value accuracy 0.875 (missed "last autumn"; "would be signed ... on March 13" and
// "open on 1 April" read as past dates; "FM 1960", a road, read as a year).
TEST_CASE("date layer figures on the third held-out date set") { CheckDateBar("dates-heldout-4.gold.txt", 30); }

// A fourth held-out set, written blind by another engineer (heldout-5's date sentences); measured
// before tuning: precision 1.000, recall 1.000, value accuracy 0.885 ("handed in three weeks ago"
// read as "in three weeks"; "is expected in May" and "planned for Friday, March 20" read as past).
// Its "three weeks ago" is gold-dated by the day (2026-02-18); the layer gives the week.
TEST_CASE("date layer figures on the fourth held-out date set") { CheckDateBar("dates-heldout-5.gold.txt", 25); }

// "last autumn" is the last one before the anchor; a participle after "would be" is no past, and a
// present tense that schedules speaks of the future; a road's number is no year, an era's is.
TEST_CASE("date layer reads seasons, scheduled dates and road numbers") {
  auto autumn = Dates("The mayor first visited last autumn, and again last spring.", "2025-02-19");
  REQUIRE(autumn.size() == 2);
  CHECK(autumn[0].value == "2024");
  CHECK(autumn[1].value == "2024");
  CHECK(Dates("She visited last summer.", "2025-09-10")[0].value == "2025");
  auto signing = Dates("Officials said the charter would be signed in Gdynia on April 4.", "2025-05-20");
  REQUIRE(signing.size() == 1);
  CHECK(signing[0].value == "2026-04-04");
  auto opens = Dates("The new ferry line opens on 12 March and the booking office closes on 2 March.", "2025-05-20");
  REQUIRE(opens.size() == 2);
  CHECK(opens[0].value == "2026-03-12");
  CHECK(opens[1].value == "2026-03-02");
  CHECK(Dates("The old line was opened on 12 March.", "2025-05-20")[0].value == "2025-03-12");
  CHECK(Dates("Trucks queued on SR 1998 and the M-1990 for hours.", "2025-05-20").empty());
  // A dateline's month needs no period before its day ("Lima, Mar 10 (EFE)"), but alone "Mar" is
  // no month ("in Mar del Plata").
  auto dateline = Dates("Lima, Mar 10 (EFE).- Cusco voted. Seoul, Jun 3, 2025 - talks began in Jul 2024.", "2026-03-11");
  REQUIRE(dateline.size() == 3);
  CHECK(dateline[0].value == "2026-03-10");
  CHECK(dateline[1].value == "2025-06-03");
  CHECK(dateline[2].value == "2024-07");
  CHECK(Dates("The delegation stayed in Mar del Plata and met Kim Jun.", "2026-03-11").empty());
  auto era = Dates("The budget for FY 2019 was cut.", "2025-05-20");
  REQUIRE(era.size() == 1);
  CHECK(era[0].value == "2019");
}

// "a month later" needs a month: after a bare year it counts from the last date that has one.
TEST_CASE("anaphoric dates skip a bare year when they need a month") {
  const std::string text = "Joensuu severed ties in early March 2022, ending a relationship that began in 1964. Oulu axed its links a month later.";
  auto found = Dates(text, "2024-05-15");
  REQUIRE(found.size() == 3);
  CHECK(found[2].text == "a month later");
  CHECK(found[2].value == "2022-04");
  CHECK(FirstValue("The partnership dates to 1962; it was renewed a decade later.", "2024-05-15") == "1962");
  CHECK(Dates("The partnership dates to 1962; it was renewed a decade later.", "2024-05-15").back().value == "1972");
  CHECK(Dates("Talks began in the autumn of 2019 and collapsed the following spring.", "2024-05-15").back().value == "2020");
}

TEST_CASE("date layer: 'N units ago' keeps its text against 'in N units', and what is expected or planned is ahead") {
  CHECK(FirstValue("The petition was handed in three weeks ago.", "2026-03-11") == "2026-W08");
  CHECK(FirstValue("The petition will be handed in in three weeks.", "2026-03-11") == "2026-W14");
  CHECK(FirstValue("A delegation is expected in May.", "2026-03-11") == "2026-05");
  CHECK(FirstValue("The visit, planned for Friday, March 20, has been postponed.", "2026-03-11") == "2026-03-20");
  // A report's day is still the past: "expected next month" is no cue for "said Tuesday".
  auto said = Dates("A vote is expected next month, the council said Tuesday.", "2024-05-15");
  REQUIRE(said.size() == 2);
  CHECK(said[1].value == "2024-05-14");
}
