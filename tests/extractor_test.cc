#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "extractors/events.h"
#include "extractors/extractor.h"
#include "extractors/rule_file.h"
#include "extractors/text.h"
#include "pipeline/cleaner.h"
#include "pipeline/reader.h"
#include "storage/event.h"
#include "tests/shared_extractor.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

using test::SharedExtractor;

Extraction ExtractText(const std::string& text, const std::string& published = "2023-07-05") {
  Article a;
  a.id = "t";
  a.url = "file:///t.txt";
  a.text = text;
  a.published = {published, "test"};
  return SharedExtractor().Process(a);
}

}  // namespace

TEST_CASE("text layer splits sentences without breaking at abbreviations and folds accents and case") {
  const std::string text = "Mr. Smith met officials on Nov. 22, 2019 in the U.S. capital. The talks went well.\n\nA new paragraph";
  auto sentences = SplitSentences(text);
  REQUIRE(sentences.size() == 3);
  CHECK(text.substr(sentences[0].start, sentences[0].end - sentences[0].start) ==
        "Mr. Smith met officials on Nov. 22, 2019 in the U.S. capital.");
  CHECK(FoldForLookup("Zürich") == "zurich");
  CHECK(FoldForLookup("ZURICH") == "zurich");
  CHECK(FoldForLookup("Kraków") == FoldForLookup("krakow"));
}

// The combined RE2::Set reads the rules with unbounded gaps: a superset, without counting states.
TEST_CASE("rule patterns are loosened for the combined set: bounded repetitions from zero become unbounded") {
  CHECK(LoosenRepetitions("a[^.]{0,80}?b") == "a[^.]*?b");
  CHECK(LoosenRepetitions("x{0,3}y\\{0,3}z{1,2}") == "x*y\\{0,3}z{1,2}");
  CHECK(LoosenRepetitions("{0,}") == "{0,}");
}

// Each rule is first matched with its character-class gaps unbounded and captured; the bounds are
// checked on the captures, and a gap over its bound leaves the match to the rule's own pattern.
TEST_CASE("rule patterns with captured gaps: unbounded, named, bound kept, none inside a repeated group") {
  auto gaps = CaptureGaps("a[^.;]{0,80}?b(?:[^x]{0,5})?c[\\]]{0,3}d\\[e]{0,2}");
  REQUIRE(gaps.has_value());
  CHECK(gaps->pattern == "a(?P<tw_gap_0>[^.;]*?)b(?:(?P<tw_gap_1>[^x]*))?c(?P<tw_gap_2>[\\]]*)d\\[e]{0,2}");
  REQUIRE(gaps->gaps.size() == 3);
  CHECK(gaps->gaps[0] == std::make_pair(std::string("tw_gap_0"), size_t{80}));
  CHECK(gaps->gaps[2].second == 3);
  CHECK(CaptureGaps("(?:w+\\s+){0,2}?x")->gaps.empty());  // not a class: stays bounded
  CHECK_FALSE(CaptureGaps("(?:a[^.]{0,9})*b").has_value());
  CHECK_FALSE(CaptureGaps("(?:a[^.]{0,9}){2}b").has_value());
  CHECK_FALSE(CaptureGaps("a[^.]{0,9}b)").has_value());
  // A match of these starts where their first group does.
  CHECK(OpensWithGroup("(?P<A>x)\\s+(?:with|and)\\s+(?P<B>y)"));
  CHECK(OpensWithGroup("(a)+b[|(]c\\|d"));
  CHECK_FALSE(OpensWithGroup("(a)b|c"));
  CHECK_FALSE(OpensWithGroup("(a)?b"));
  CHECK_FALSE(OpensWithGroup("(a)*b"));
  CHECK_FALSE(OpensWithGroup("(a){0,2}b"));
  CHECK_FALSE(OpensWithGroup("a(b)"));
  CHECK_FALSE(OpensWithGroup("(a"));
}

TEST_CASE("event rules keep their gap bounds: a match over a bound is no match, the lazy match is the first one") {
  test::TempDir dir;
  test::WriteFile(dir / "events.toml", "[[rule]]\nid = \"agreement.with\"\ntype = \"agreement\"\n"
                                       "pattern = '{A}\\b[^.;]{0,12}?\\bwith\\s+{B}'\n");
  auto rules = EventRules::Load(dir / "events.toml");
  REQUIRE(rules.ok());
  auto match = [&](const std::string& sentence, std::vector<std::string> names) {
    std::vector<CityMention> cities;
    for (size_t i = 0; i < names.size(); ++i) {
      CityMention c;
      c.start = sentence.find(names[i]);
      c.end = c.start + names[i].size();
      c.place.geonameid = static_cast<int64_t>(i + 1);
      c.place.name = names[i];
      cities.push_back(c);
    }
    return (*rules)->MatchSentence(sentence, cities);
  };
  // Lazy: the first "with" and its place.
  auto near = match("Lyon is paired with Kyoto and with Osaka", {"Lyon", "Kyoto", "Osaka"});
  REQUIRE(near.size() == 1);
  CHECK(near[0].first_city == 0);
  CHECK(near[0].second_city == 1);
  // A match starts at a placeholder, not always the first one.
  auto later = match("Osaka; Lyon is paired with Kyoto", {"Osaka", "Lyon", "Kyoto"});
  REQUIRE(later.size() == 1);
  CHECK(later[0].first_city == 1);
  CHECK(later[0].second_city == 2);
  CHECK(later[0].start == 7);
  // Text that looks like a placeholder stands for no city, also where a rule is tried anchored.
  CHECK(match("Lyon paired with __c99999999999999999999999__ and Kyoto", {"Lyon", "Kyoto"}).empty());
  // 13 characters between Lyon and "with": over the bound, in ASCII and in two-byte letters.
  CHECK(match("Lyon has paired up with Kyoto", {"Lyon", "Kyoto"}).empty());
  CHECK(match("Lyon \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9 \u00e9\u00e9\u00e9\u00e9\u00e9 with Kyoto", {"Lyon", "Kyoto"}).empty());
  // 12 characters but 22 bytes: within the bound, found by the rule's own pattern.
  CHECK(match("Lyon \u00e9\u00e9\u00e9\u00e9\u00e9 \u00e9\u00e9\u00e9\u00e9 with Kyoto", {"Lyon", "Kyoto"}).size() == 1);
  CHECK(match("Lyon has paired with Kyoto", {"Lyon", "Kyoto"}).size() == 1);
}

// "the two cities" stands for the two places the text was last about, read as "A and B".
TEST_CASE("extractor reads the two cities as the last two places named") {
  auto x = ExtractText("A delegation from Nagasaki arrived in St. Paul on Sunday. The two cities have been sister cities since 1955.");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].type == EventType::kAgreement);
  CHECK(x.events[0].first.name == "Nagasaki");
  CHECK(x.events[0].second.name == "St. Paul");  // as the text names it (GeoNames: "Saint Paul")
  CHECK(x.events[0].date == "1955");
  auto same = ExtractText("It is the motto of the partnership between Paris and Rome, the two capitals, which have been twinned since 1956.");
  REQUIRE_FALSE(same.events.empty());
  CHECK(same.events[0].date == "1956");
}

// A date in a participle or relative clause after the event dates something else.
TEST_CASE("extractor leaves out dates of a following participle clause") {
  auto x = ExtractText("Tartu ended its twin-town agreement with Pskov, closing a chapter that began in 1996.", "");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].type == EventType::kTermination);
  CHECK(x.events[0].date.empty());
  auto reported = ExtractText("Wellington has paused its sister-city relationship with Sakai, while the councils review funding, a spokesperson said on May 2.");
  REQUIRE(reported.events.size() == 1);
  CHECK(reported.events[0].date == "2023-05-02");
}

// A city and its own province are no pair; a small place inside a longer capitalised name gives way.
TEST_CASE("extractor pairs no city with its own province and finds Denver in the Denver City Council") {
  auto x = ExtractText("Kazan and Istanbul have agreed to become sister cities, the Tatarstan government said.");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].type == EventType::kProposal);
  CHECK(x.events[0].second.name == "Istanbul");
  auto denver = ExtractText("The Denver City Council will consider a sister-city relationship with Brest, France.");
  REQUIRE(denver.events.size() == 1);
  CHECK(denver.events[0].first.name == "Denver");
  CHECK(denver.events[0].type == EventType::kProposal);
}

TEST_CASE("extractor finds a plain termination with both cities, their countries and the date") {
  auto x = ExtractText("Prague, Czech Republic, in October 2019 ended its sister-city agreement with the Chinese capital Beijing.");
  REQUIRE(x.events.size() == 1);
  const auto& e = x.events[0];
  CHECK(e.type == EventType::kTermination);
  CHECK(e.first.name == "Prague");
  CHECK(e.first.country == "CZ");
  CHECK(e.first.geonameid == 3067696);
  CHECK(e.second.name == "Beijing");
  CHECK(e.second.country == "CN");
  CHECK(e.date == "2019-10");
  CHECK(e.rule == "termination.ended-tie-with");
  CHECK_THAT(e.evidence, Catch::StartsWith("Prague, Czech Republic"));
}

TEST_CASE("extractor finds plain agreements") {
  auto signed_ = ExtractText("Lyon signed a sister-city agreement with Kyoto on March 12, 2024.");
  REQUIRE(signed_.events.size() == 1);
  CHECK(signed_.events[0].type == EventType::kAgreement);
  CHECK(signed_.events[0].date == "2024-03-12");

  auto paired = ExtractText("Tianjin, one of the country's largest cities, paired with Kobe, Japan, in 1973.");
  REQUIRE(paired.events.size() == 1);
  CHECK(paired.events[0].second.name == "Kobe");
  CHECK(paired.events[0].date == "1973");
}

TEST_CASE("extractor finds no event where there is none") {
  CHECK(ExtractText("Prague is a beautiful city, and many tourists travel on to Vienna.").events.empty());
  CHECK(ExtractText("The mayor of Prague ended the meeting early.").events.empty());
  CHECK(ExtractText("").events.empty());
}

TEST_CASE("extractor reports city and date mentions with byte offsets into the text") {
  const std::string text = "Kobe and Tianjin became sister cities in 1973.";
  auto x = ExtractText(text);
  REQUIRE(x.cities.size() == 2);
  CHECK(text.substr(x.cities[0].start, x.cities[0].end - x.cities[0].start) == "Kobe");
  CHECK(x.cities[0].place.geonameid == 1859171);
  REQUIRE(x.dates.size() == 1);
  CHECK(x.dates[0].value == "1973");
  CHECK(text.substr(x.dates[0].start, x.dates[0].end - x.dates[0].start) == "1973");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].rule == "agreement.became-tie");
}

TEST_CASE("a bad rule file fails to load with FILE:LINE and the reason") {
  tw::test::TempDir dir;
  std::filesystem::copy(std::string(TW_SOURCE_DIR) + "/rules", dir.path(), std::filesystem::copy_options::recursive);
  tw::test::WriteFile(dir / "events.toml", "[[rule]]\nid = \"x\"\ntype = \"agreement\"\npattern = '{A} (unclosed {B}'\n");
  ExtractorOptions options;
  options.rules_dir = dir.path();
  auto ex = Extractor::Open(options);
  REQUIRE_FALSE(ex.ok());
  CHECK_THAT(ex.status().message(), Catch::StartsWith(dir / "events.toml:1:"));
  CHECK_THAT(ex.status().message(), Catch::Contains("missing )"));

  tw::test::WriteFile(dir / "events.toml", "[[rule]]\nid = \"x\"\ntype = \"friendship\"\npattern = '{A} {B}'\n");
  auto bad_type = Extractor::Open(options);
  REQUIRE_FALSE(bad_type.ok());
  CHECK_THAT(bad_type.status().message(), Catch::Contains("type must be"));

  // A party in two alternatives would be read in the first one only: the rule is refused.
  tw::test::WriteFile(dir / "events.toml", "[[rule]]\nid = \"x\"\ntype = \"agreement\"\npattern = '(?:{B}, {A} twin|{A} and {B}, its twin)'\n");
  auto twice = Extractor::Open(options);
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(twice.status().message(), Catch::Contains("once each"));
}

TEST_CASE("a rule match that leaves a party out, or a placeholder look-alike in the text, is no event") {
  // Both were found by fuzz_text: a party group that took no part in the match was read as a city
  // index (undefined behaviour), and "__C" digits "__" in the text made the index parse throw.
  tw::test::TempDir dir;
  std::filesystem::copy(std::string(TW_SOURCE_DIR) + "/rules", dir.path(), std::filesystem::copy_options::recursive);
  std::filesystem::remove(dir / "fallback.toml");  // the event rules alone: the fallback reads "Lyon ... twinned with Kyoto"
  tw::test::WriteFile(dir / "events.toml",
                      "[[rule]]\nid = \"agreement.partial\"\ntype = \"agreement\"\npattern = '(?:{A} twinned with {B}|welcomed)'\n");
  ExtractorOptions options;
  options.rules_dir = dir.path();
  auto ex = Extractor::Open(options);
  REQUIRE(ex.ok());
  auto process = [&](const std::string& text) {
    Article a;
    a.id = "t";
    a.url = "file:///t.txt";
    a.text = text;
    a.published = {"2023-07-05", "test"};
    return ex.value()->Process(a);
  };
  CHECK(process("The mayor of Lyon welcomed guests from Kyoto.").events.empty());
  CHECK(process("Lyon said __C99999999999999999999__ twinned with Kyoto.").events.empty());
  CHECK(process("Lyon said __C1__ twinned with Kyoto.").events.empty());
  // The rule still reads a real pair.
  const Extraction real = process("Lyon twinned with Kyoto in 1959.");
  REQUIRE(real.events.size() == 1);
  CHECK(real.events[0].rule == "agreement.partial");
}

// Runs ../shared/eval/score_events.py on events predicted for articles named like the gold file's
// and returns its JSON summary.
nlohmann::json ScoreEvents(const std::string& gold_path, const std::vector<std::pair<std::string, Extraction>>& predicted,
                           const std::vector<std::string>& articles = {}) {
  tw::test::TempDir dir;
  std::string lines;
  for (const auto& [name, x] : predicted) {
    for (const auto& m : x.events) {
      auto e = EventToJson(EventFromMention(m, x.article));
      e["sources"][0]["url"] = name;  // the scorer keys articles by name
      lines += e.dump() + "\n";
    }
  }
  tw::test::WriteFile(dir / "pred.jsonl", lines);
  std::string names;
  for (const auto& a : articles) names += " '" + a + "'";
  const std::string cmd = "python3 '" + tw::test::SharedFile("eval/score_events.py") + "' --json --gold '" + gold_path + "' --pred '" +
                          (dir / "pred.jsonl") + "'" + (articles.empty() ? "" : " --articles" + names) + " > '" + (dir / "score.json") + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return nlohmann::json::parse(tw::test::ReadFile(dir / "score.json"));
}

TEST_CASE("the seed article scores typed F1 >= 0.95 and date accuracy >= 0.9 with the shared scorer") {
  const std::string path = tw::test::SharedFile("samples/victoria-sister-cities.html");
  const std::string gold = tw::test::SharedFile("samples-gold/seed-article.gold.jsonl");
  if (path.empty() || gold.empty() || tw::test::SharedFile("eval/score_events.py").empty()) return;
  DocumentReader reader{ReaderOptions{}};
  auto doc = reader.ReadDocumentFile(path);
  REQUIRE(doc.ok());
  auto article = Cleaner().Process(*doc);
  REQUIRE(article.ok());
  auto x = SharedExtractor().Process(std::move(article.value()));
  auto score = ScoreEvents(gold, {{"victoria-sister-cities.html", x}});
  INFO(score.dump());
  CHECK(score["f1"].get<double>() >= 0.95);
  CHECK(score["date_accuracy"].get<double>() >= 0.9);
  bool found = false;
  for (const auto& e : x.events) {
    found |= e.type == EventType::kTermination && e.first.name == "Prague" && e.second.name == "Beijing" && e.date == "2019-10";
  }
  CHECK(found);
}

// The articles of tests/articles/ numbered `first` to `last`, each with its gold events, scored by
// the shared scorer (articles without events count too); `count` gets how many there are.
nlohmann::json ScoreArticles(int first, int last, size_t* count) {
  const std::filesystem::path dir = std::string(TW_SOURCE_DIR) + "/tests/articles";
  tw::test::TempDir tmp;
  std::string gold;
  std::vector<std::pair<std::string, Extraction>> predicted;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const int number = std::atoi(name.c_str());
    if (entry.path().extension() != ".txt" || number < first || number > last) continue;
    names.push_back(name);
    // As `twinwatch extract` reads it: the first line is the headline.
    DocumentReader reader{ReaderOptions{}};
    auto doc = reader.ReadDocumentFile(entry.path().string());
    REQUIRE(doc.ok());
    auto a = Cleaner().Process(*doc);
    REQUIRE(a.ok());
    a.value().published = {"2024-05-15", "test"};
    predicted.emplace_back(name, SharedExtractor().Process(std::move(a.value())));
    std::filesystem::path g = entry.path();
    g.replace_extension(".gold.jsonl");
    gold += tw::test::ReadFile(g.string());
  }
  *count = names.size();
  tw::test::WriteFile(tmp / "gold.jsonl", gold);
  return ScoreEvents(tmp / "gold.jsonl", predicted, names);
}

// tests/articles/: varied articles written for twinwatch, each with its gold events; the figure is
// the typed F1 of the shared scorer over all of them.
TEST_CASE("the project's own test articles score typed F1 >= 0.9") {
  if (tw::test::SharedFile("eval/score_events.py").empty()) return;
  size_t count = 0;
  auto score = ScoreArticles(0, 9999, &count);
  REQUIRE(count >= 40);
  std::printf("test articles: %s\n", score.dump().c_str());
  CHECK(score["f1"].get<double>() >= 0.9);
  CHECK(score["date_accuracy"].get<double>() >= 0.85);
}

// "the deal", "the agreement", "ties" with no party of their own stand for the tie read last: in
// the sentence before them, else in the sentences before.
TEST_CASE("extractor reads the deal as the tie named before it, dated by its own trigger") {
  auto x = ExtractText("Parnu, which signed a friendship agreement with Vologda in 1999, said on Tuesday it had terminated the deal.",
                       "2024-05-15");
  REQUIRE(x.events.size() == 2);
  CHECK(x.events[0].type == EventType::kAgreement);
  CHECK(x.events[0].date == "1999");
  CHECK(x.events[1].type == EventType::kTermination);
  CHECK(x.events[1].first.name == "Pärnu");
  CHECK(x.events[1].second.name == "Vologda");
  CHECK(x.events[1].date == "2024-05-14");
  CHECK(x.events[1].rule == "termination.ended-the-tie");

  auto later = ExtractText("Lahti has had a twin-town agreement with Kolomna since 1990. On Monday the council suspended the partnership.",
                           "2024-05-15");
  REQUIRE(later.events.size() == 2);
  CHECK(later.events[1].type == EventType::kSuspension);
  CHECK(later.events[1].date == "2024-05-13");

  auto passive = ExtractText("Tartu and Pskov became sister cities in 1996. The agreement was scrapped in March 2023.", "2024-05-15");
  REQUIRE(passive.events.size() == 2);
  CHECK(passive.events[1].type == EventType::kTermination);
  CHECK(passive.events[1].date == "2023-03");
}

TEST_CASE("extractor reads no tie reference where the tie has its own party or the subject is another city") {
  // "ties with Minsk" is another tie: no termination of the Parnu-Vologda one.
  auto own = ExtractText("Parnu, twinned with Vologda since 1999, cut ties with Minsk on Tuesday.", "2024-05-15");
  for (const auto& e : own.events) {
    CHECK_FALSE((e.type == EventType::kTermination && e.second.name == "Vologda"));
  }
  // Another city ending "the deal" speaks of a tie of its own.
  auto other = ExtractText("Parnu signed a friendship agreement with Vologda in 1999. Tallinn ended the deal on Tuesday.", "2024-05-15");
  REQUIRE(other.events.size() == 1);
  CHECK(other.events[0].type == EventType::kAgreement);
  // Without a tie before it, "the agreement" refers to nothing.
  CHECK(ExtractText("Parnu said on Tuesday it had terminated the agreement.", "2024-05-15").events.empty());
  // A hypothesis stays one.
  auto might = ExtractText("Parnu signed a friendship agreement with Vologda in 1999. The council might end the deal.", "2024-05-15");
  CHECK(might.events.size() == 1);
}

// Within one match the date nearest the trigger word is the event's.
TEST_CASE("extractor dates an event by the date nearest its trigger word") {
  auto x = ExtractText("Parnu, which in 1999 became a partner of Vologda, on Tuesday ended its friendship agreement with Vologda.",
                       "2024-05-15");
  bool found = false;
  for (const auto& e : x.events) {
    if (e.type == EventType::kTermination) {
      found = true;
      CHECK(e.date == "2024-05-14");
    }
  }
  CHECK(found);
}

// A dateline ("TOKYO —") is where the report was filed, not a party of "the two cities".
TEST_CASE("extractor leaves datelines out of the two cities") {
  auto x = ExtractText("TOKYO — A delegation from Nanjing visited Nagoya last week. The two cities became sister cities in 1978.");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].first.name == "Nanjing");
  CHECK(x.events[0].second.name == "Nagoya");
  CHECK(x.events[0].date == "1978");
}

// "The city" and "the city's" before a tie are the city the article is about: the one that opened
// most sentences, not the last one named.
TEST_CASE("extractor reads the city as the city the article is about") {
  auto x = ExtractText(
      "Yokohama and Lyon became sister cities in 1959. Yokohama will hold a festival. Lyon is one of seven sister cities of "
      "Yokohama. The city's oldest sister-city tie is with San Diego.");
  bool found = false;
  for (const auto& e : x.events) {
    found |= e.first.name == "Yokohama" && e.second.name == "San Diego";
    CHECK_FALSE((e.first.name == "Lyon" && e.second.name == "San Diego"));
  }
  CHECK(found);
  auto portland = ExtractText(
      "PORTLAND, Maine — A photograph of a 1989 hockey tournament is among the reminders of the city's sister-city relationship "
      "with Arkhangelsk, Russia. The relationship, established in 1988, was once among the most active.");
  REQUIRE(portland.events.size() == 1);
  CHECK(portland.events[0].type == EventType::kAgreement);
  CHECK(portland.events[0].first.name == "Portland");
  CHECK(portland.events[0].second.name == "Arkhangel’sk");
  // Read twice, the event takes the date that stood nearest its trigger word.
  CHECK(portland.events[0].date == "1988");
}

// The tie a renewal extends is the same pair and type: its start date must not replace the date of
// the renewal itself, which the direct reading found.
TEST_CASE("extractor keeps the date of a renewal over the start of the tie it extends") {
  auto x = ExtractText(
      "Nantes renewed its twinning agreement with Cardiff on 12 May 2022, extending a partnership that dates back to 1964.");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].type == EventType::kAgreement);
  CHECK(x.events[0].date == "2022-05-12");
}

// "ending a relationship that began in 1964" ends the tie and dates its start.
TEST_CASE("extractor reads the start of a tie that a termination refers to") {
  auto x = ExtractText("Joensuu severed its ties with Petrozavodsk in early March 2022, ending a relationship that began in 1964.");
  REQUIRE(x.events.size() == 2);
  CHECK(x.events[0].type == EventType::kTermination);
  CHECK(x.events[0].date == "2022-03");
  CHECK(x.events[1].type == EventType::kAgreement);
  CHECK(x.events[1].date == "1964");
}

TEST_CASE("extractor takes no date from another clause or an apposition") {
  // "since 2022" after ", and" dates the other clause.
  auto since = ExtractText("Warsaw and Kyiv have been partner cities for many years, and several districts have signed agreements since 2022.");
  REQUIRE(since.events.size() == 1);
  CHECK(since.events[0].date.empty());
  auto appos = ExtractText("Gangneung, the city that hosted the 2018 Winter Olympics, has signed a memorandum of understanding with Queenstown, New Zealand.");
  REQUIRE(appos.events.size() == 1);
  CHECK(appos.events[0].type == EventType::kProposal);
  CHECK(appos.events[0].date.empty());
}

// Written blind by another engineer (the author read neither rules nor code); scored before any
// tuning at typed F1 0.555 (P 0.825, R 0.418), 0.889 after a first round of general fixes, 1.000
// after a second. The bar here guards the tuned figure (tuned: no measure of unseen text); the
// whole set of articles is held to 0.9 above.
TEST_CASE("the blind held-out articles score typed F1 >= 0.95") {
  if (tw::test::SharedFile("eval/score_events.py").empty()) return;
  size_t count = 0;
  auto score = ScoreArticles(74, 113, &count);
  REQUIRE(count == 40);
  std::printf("blind held-out articles: %s\n", score.dump().c_str());
  CHECK(score["f1"].get<double>() >= 0.95);
  CHECK(score["date_accuracy"].get<double>() >= 0.85);
}

// Readings added for a third blind set (heldout-4), each with sentences of our own.

// "Its" opening a sentence is the city's; after an opening phrase "it" and "the city" still stand
// for it; "Council" alone in minutes, and "We" in an official's answer, are the city the article
// is about.
TEST_CASE("extractor reads Its, an opening phrase, Council and We as the city") {
  auto its = ExtractText("Daugavpils has new partners. Its oldest tie, with the Swedish city of Kalmar, dates from 1991.");
  REQUIRE(its.events.size() == 1);
  CHECK(its.events[0].type == EventType::kAgreement);
  CHECK(its.events[0].first.name == "Daugavpils");
  CHECK(its.events[0].second.name == "Kalmar");
  CHECK(its.events[0].date == "1991");
  auto opening = ExtractText("Narva reviewed its partners. In 2022 the city ended its partnership with the Russian city of Pskov.");
  REQUIRE(opening.events.size() == 1);
  CHECK(opening.events[0].type == EventType::kTermination);
  CHECK(opening.events[0].first.name == "Narva");
  CHECK(opening.events[0].date == "2022");
  auto minutes = ExtractText(
      "Summary of the meeting of Lethbridge City Council. Moved by Councillor Park: THAT Council direct staff to explore a "
      "sister-city relationship with the City of Temuco, Chile. Carried.");
  REQUIRE(minutes.events.size() == 1);
  CHECK(minutes.events[0].type == EventType::kProposal);
  CHECK(minutes.events[0].first.name == "Lethbridge");
  CHECK(minutes.events[0].second.name == "Temuco");
  auto answer = ExtractText("Tbilisi has been busy abroad this winter. A: We signed a memorandum of understanding with Chisinau in March.");
  REQUIRE(answer.events.size() == 1);
  CHECK(answer.events[0].type == EventType::kProposal);
  CHECK(answer.events[0].first.name == "Tbilisi");
}

// "Lyon became Leipzig's partner in 1981, Bologna followed in 1962, and Houston in 1993": a
// sequence, each place dated by the date nearest it; lists also take "Moscow and Minsk in 2022".
TEST_CASE("extractor reads a sequence of partners, each with its own date") {
  auto x = ExtractText("Lyon became Leipzig's partner in 1981, Bologna followed in 1962, and Houston in 1993.");
  REQUIRE(x.events.size() == 3);
  std::map<std::string, std::string> dates;
  for (const auto& e : x.events) {
    CHECK(e.type == EventType::kAgreement);
    CHECK((e.first.name == "Leipzig" || e.second.name == "Leipzig"));
    dates[e.first.name == "Leipzig" ? e.second.name : e.first.name] = e.date;
  }
  CHECK(dates["Lyon"] == "1981");
  CHECK(dates["Bologna"] == "1962");
  CHECK(dates["Houston"] == "1993");
  auto list = ExtractText("The Riga City Council terminated the capital's twinning agreements with Moscow and Minsk in 2022, after the invasion.");
  REQUIRE(list.events.size() == 2);
  CHECK(list.events[1].second.name == "Minsk");
  CHECK(list.events[1].date == "2022");
}

// Ties named with their founding in other words: "link with X, ..., was formalised", "under a
// sister-city agreement signed ..., A and B", "has been linked with", "became A's partner", "the
// resolution that established the relationship", an apposition with a region after the place.
TEST_CASE("extractor reads foundings stated around a tie") {
  auto link = ExtractText("Leipzig's link with Kraków, then a city of 600,000, was formalised in 1973.");
  REQUIRE(link.events.size() == 1);
  CHECK(link.events[0].date == "1973");
  auto under = ExtractText("Under a sister-city agreement signed in October 2016, Kochi and Fresno agreed to exchange farm students.");
  REQUIRE(under.events.size() == 1);
  CHECK(under.events[0].type == EventType::kAgreement);
  CHECK(under.events[0].date == "2016-10");
  auto linked = ExtractText("Gernika, the Basque town bombed in 1937, has been linked with Boise since 1993 as a sister city.");
  REQUIRE(linked.events.size() == 1);
  CHECK(linked.events[0].date == "1993");
  auto region = ExtractText("Lanterns came from Sapporo, Hokkaido, Portland's sister city since 1959.");
  REQUIRE(region.events.size() == 1);
  CHECK(region.events[0].date == "1959");
  auto repeal = ExtractText(
      "Rovaniemi city council on Monday revoked the sister-city relationship with Murmansk. The council voted 41-10 to repeal "
      "the decision that established the relationship in 1977.");
  REQUIRE(repeal.events.size() == 2);
  CHECK(repeal.events[1].type == EventType::kAgreement);
  CHECK(repeal.events[1].date == "1977");
}

// "Our oldest relationships ... are with Atlanta and Bristol": an official's "Our" is the city the
// article is about.
TEST_CASE("extractor reads Our ties as the city's") {
  auto ours = ExtractText("Tbilisi has eleven sister cities. A: Our oldest relationships outside Europe are with Atlanta and Bristol.");
  REQUIRE(ours.events.size() == 2);
  CHECK(ours.events[0].type == EventType::kAgreement);
  CHECK(ours.events[0].first.name == "Tbilisi");
  CHECK(ours.events[1].second.name == "Bristol");
}

// Near misses: a push for a twinning is a call, and a university's agreement under a partnership is
// no tie between cities.
TEST_CASE("extractor reads no tie in a push for one or a sequence without a tie") {
  CHECK(ExtractText("In 2011 local boosters pushed hard for a twinning between Kalgoorlie and Butte, Montana.").events.empty());
  CHECK(ExtractText("Lyon became the capital of the region in 1981, and Bologna followed in 1982.").events.empty());
}

// "Tartu City Council": a name with its own suffix stays the city, though the county shares it.
TEST_CASE("extractor reads a city with its suffix before a longer name as the city") {
  auto x = ExtractText("Tartu City Council will vote on June 13 on a friendship agreement with Kutaisi.", "2024-05-15");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].type == EventType::kProposal);
  CHECK(x.events[0].first.name == "Tartu");
  CHECK(x.events[0].date == "2024-06-13");
}

// "Contacts with Pskov were frozen": a sentence that opens with a tie and its other party implies
// the city the article is about.
TEST_CASE("extractor reads the city the article is about as the party a tie sentence implies") {
  auto x = ExtractText("Tartu ended its partnership with Pskov on Tuesday. Tartu keeps ties with Turku. "
                       "Contacts with Pskov were frozen in March 2022.");
  bool frozen = false;
  for (const auto& e : x.events) frozen |= e.type == EventType::kSuspension && e.first.name == "Tartu" && e.second.name == "Pskov" && e.date == "2022-03";
  CHECK(frozen);
  // Only at the start of a sentence, and not where the sentence names its own first party.
  auto own = ExtractText("Tartu ended its partnership with Pskov on Tuesday. Narva said contacts with Pskov were frozen in 2022.");
  for (const auto& e : own.events) CHECK(e.type != EventType::kSuspension);
}

// "Mayor Zdeněk Hřib ... Hřib signed a sister-city agreement with Taipei": a mayor or governor
// named alone acts for the place whose office they hold.
TEST_CASE("extractor reads a mayor or governor named before as their place") {
  auto x = ExtractText("The Prague assembly met in October. Mayor Zdeněk Hřib called the clause political. "
                       "On January 13, 2020, Hřib signed a sister-city agreement with Taipei.");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].type == EventType::kAgreement);
  CHECK(x.events[0].first.name == "Prague");
  CHECK(x.events[0].second.name == "Taipei");
  CHECK(x.events[0].date == "2020-01-13");
  // The place named before the title wins over the article's city.
  auto governor = ExtractText("Victoria's other sister state is Aichi Prefecture. Jiangsu Governor Xu Kunlin visited Melbourne. "
                              "Later, Xu signed a friendship agreement with Busan.");
  bool jiangsu = false;
  for (const auto& e : governor.events) jiangsu |= e.second.name == "Busan" && e.first.name == "Jiangsu";
  CHECK(jiangsu);
  // Whose office it is, a sentence naming another place does not say.
  auto unknown = ExtractText("Prague signed an agreement. Mayor Ko Wen-je met officials from Tokyo. "
                             "Wen-je signed a sister-city agreement with Taipei.");
  for (const auto& e : unknown.events) CHECK(e.second.name != "Taipei");
}

TEST_CASE("extractor reads lists broken by a relative clause and ties joined by and") {
  auto list = ExtractText("Verona's other twin towns include Munich, with which it will mark 64 years of partnership this year, and Pula in Croatia.");
  std::set<std::string> partners;
  for (const auto& e : list.events) partners.insert(e.second.name);
  CHECK(partners == std::set<std::string>{"Munich", "Pula"});
  auto joined = ExtractText("Cork, Ireland, also has long-standing ties with San Francisco, and a friendship agreement with Rennes.");
  bool rennes = false;
  for (const auto& e : joined.events) rennes |= e.type == EventType::kAgreement && e.second.name == "Rennes";
  CHECK(rennes);
}

// A heading ("Cutting Ties") names what follows; it refers back to no tie.
TEST_CASE("extractor reads no tie reference in a heading") {
  auto x = ExtractText("Vancouver signed a sister-city agreement with Guangzhou in 1985.\n\nCutting Ties\n\nMany cities have acted.");
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].type == EventType::kAgreement);
}

namespace {

// The events of `x` as "type first/second date" strings, for short checks.
std::set<std::string> Events(const Extraction& x) {
  std::set<std::string> out;
  for (const auto& e : x.events) out.insert(std::string(EventTypeName(e.type)) + " " + e.first.name + "/" + e.second.name + " " + e.date);
  return out;
}

}  // namespace

TEST_CASE("extractor reads more ways news ends, signs and upgrades a tie") {
  CHECK(Events(ExtractText("The Kharkiv City Council on Thursday denounced the twinning agreement with the Russian city of Belgorod.",
                           "2024-05-15")) == std::set<std::string>{"termination Kharkiv/Belgorod 2024-05-09"});
  CHECK(Events(ExtractText("Wagga Wagga City Council has dumped its sister-city relationship with Leshan.")) ==
        std::set<std::string>{"termination Wagga Wagga/Leshan "});
  // "between the two cities" when the first of them is the subject already.
  CHECK(Events(ExtractText("Osaka sent a letter to San Francisco dissolving the sister-city relationship between the two cities.")) ==
        std::set<std::string>{"termination Osaka/San Francisco "});
  CHECK(Events(ExtractText("Daegu has upgraded its friendship-city relationship with Qingdao to a full sister-city relationship.")) ==
        std::set<std::string>{"agreement Daegu/Qingdao "});
  // An apposition after the first of a pair; "the U.S. city of".
  CHECK(Events(ExtractText("Jinan, capital of east China's Shandong Province, and the U.S. city of Sacramento on Monday signed an "
                           "agreement to establish sister-city relations.", "2024-05-15")) ==
        std::set<std::string>{"agreement Jinan/Sacramento 2024-05-13"});
  // "its twin town" after a party: the clause's subject is the other.
  CHECK(Events(ExtractText("The Mayor of Wells hosted 45 guests from Bad Dürkheim, its German twin town.")) ==
        std::set<std::string>{"agreement Wells/Bad Dürkheim "});
}

TEST_CASE("extractor reads no tie of an organisation named after its city") {
  CHECK(ExtractText("Brisbane Airport Corporation has signed a partnership agreement with Incheon International Airport.").events.empty());
}

TEST_CASE("extractor reads lists as a preposition's object, and dates each party by its own words") {
  CHECK(Events(ExtractText("Kharkiv's partnerships with Nuremberg, Bologna and Kaunas remain active.")) ==
        std::set<std::string>{"agreement Kharkiv/Nuremberg ", "agreement Kharkiv/Bologna ", "agreement Kharkiv/Kaunas "});
  CHECK(Events(ExtractText("Seattle counts 21 sister cities, among them Kobe, Japan, its oldest, dating from 1957, and Mombasa, Kenya.")) ==
        std::set<std::string>{"agreement Seattle/Kobe 1957", "agreement Seattle/Mombasa "});
  // An apposition after the object is no list: no conjunction closes it.
  CHECK(Events(ExtractText("Napier will consider a friendship agreement with Bad Dürkheim, Germany, the Rhineland-Palatinate wine "
                           "town known for its festival.")) == std::set<std::string>{"proposal Napier/Bad Dürkheim "});
}

// "The towns were formally twinned in 1959": a plural opening is the pair the text was about, not
// the city the article is about ([coreference] subject takes an "s" only after "It").
TEST_CASE("extractor reads The towns as the pair, not as the city") {
  CHECK(Events(ExtractText("Freiburg welcomed guests from Besançon, its French twin town. The towns were formally twinned in 1959.")) ==
        std::set<std::string>{"agreement Freiburg/Besançon 1959"});
}

TEST_CASE("extractor reads a tie's start, a new signing and a subject after an opening phrase") {
  CHECK(Events(ExtractText("Osaka ended its sister-city relationship with San Francisco. The relationship dates back to 1957.")) ==
        std::set<std::string>{"termination Osaka/San Francisco ", "agreement Osaka/San Francisco 1957"});
  CHECK(Events(ExtractText("Daegu has upgraded its friendship-city relationship with Qingdao. The mayor and the party secretary "
                           "signed the new agreement in Qingdao on Monday.", "2024-05-15")) ==
        std::set<std::string>{"agreement Daegu/Qingdao 2024-05-13"});
  CHECK(Events(ExtractText("Guadalajara has 22 sister cities. In 2019 it also signed a friendship agreement with Lanzhou in China.")) ==
        std::set<std::string>{"agreement Guadalajara/Lanzhou 2019"});
}

using test::ExtractArticle;

// "The partnership with Kaluga dates from 1994. ... the council voted to suspend it": "it" right
// after a verb that ends, pauses or renews a tie is the tie named last.
TEST_CASE("extractor reads it after a verb that ends or pauses a tie as the tie named before") {
  CHECK(Events(ExtractText("Siauliai's partnership with Kaluga dates from 1994. Few visits took place after 2014. "
                           "On Thursday the city council voted to suspend it until the war is over.",
                           "2024-05-15")) ==
        std::set<std::string>{"agreement Šiauliai/Kaluga 1994", "suspension Šiauliai/Kaluga 2024-05-09"});
  // "It" after another verb, or a motion to end it that failed, is no event.
  CHECK(Events(ExtractText("Siauliai's partnership with Kaluga dates from 1994. A delegation visited it in May.")) ==
        std::set<std::string>{"agreement Šiauliai/Kaluga 1994"});
  CHECK(Events(ExtractText("Siauliai's partnership with Kaluga dates from 1994. A motion to end it failed on Monday.")) ==
        std::set<std::string>{"agreement Šiauliai/Kaluga 1994"});
}

// "the Japanese port", "The province": a place named before, described by its country's adjective
// or its kind.
TEST_CASE("extractor reads a place described by its country or its kind as the place named before") {
  CHECK(Events(ExtractText("Nakhodka has a sister-city tie with Otaru. On Friday the city council terminated the agreement "
                           "with the Japanese port.",
                           "2024-05-15")) ==
        std::set<std::string>{"agreement Nakhodka/Otaru ", "termination Nakhodka/Otaru 2024-05-10"});
  CHECK(Events(ExtractText("Tainan Mayor Huang met guests from Plzeň on Monday. The Czech city signed a sister-city agreement "
                           "with Tainan on Tuesday.",
                           "2024-05-15")) == std::set<std::string>{"agreement Plzeň/Tainan 2024-05-14"});
  // "The province": the place the text was last about, when it is a division.
  CHECK(Events(ExtractText("Trade between Shandong and Kenya has grown. The province established friendly relations with "
                           "Nakuru in 2019.")) == std::set<std::string>{"agreement Shandong/Nakuru 2019"});
  // An apposition describes the unknown name before it, not the place named before that; an
  // adjective that names no country, or no adjective, says too little.
  for (const auto& e : ExtractText("Toowoomba's link with Takatsuki was formalised in 1991. Broome suspended its tie with "
                                   "Taiji, the Japanese whaling town, in 2009.").events) {
    CHECK(e.type == EventType::kAgreement);
  }
  CHECK(ExtractText("Memmingen raised money for Chernihiv. The Bavarian town signed a partnership agreement with Chernihiv.")
            .events.empty());
  CHECK(ExtractText("The prefecture-level city of Weifang signed a friendship-city agreement with Naivasha.").events.size() == 1);
}

TEST_CASE("extractor reads a counterpart, a delegation and a mayor of a place as the place") {
  CHECK(Events(ExtractText("Mayor Liisa Tamm of Tartu welcomed guests. On Tuesday Tamm and her counterpart from Kaunas "
                           "signed a twinning agreement.",
                           "2024-05-15")) == std::set<std::string>{"agreement Tartu/Kaunas 2024-05-14"});
  CHECK(Events(ExtractText("A delegation from Jelgava and the mayor of Tartu signed a friendship agreement on Wednesday.",
                           "2024-05-15")) == std::set<std::string>{"agreement Jelgava/Tartu 2024-05-15"});
  CHECK(Events(ExtractText("Kisumu Mayor Joseph Otieno and Changsha Mayor Li Wei signed a friendship-city agreement on Monday.",
                           "2024-05-15")) == std::set<std::string>{"agreement Kisumu/Changsha 2024-05-13"});
}

// A headline names the act a report is about: read after the body, its places as the body
// resolved them, dated by the lead (after its dateline) when the body does not read it.
TEST_CASE("extractor reads the headline's pair and act, dated by the lead") {
  auto x = ExtractArticle("Pori, Kretinga sign sister-city agreement",
                          "PORI, Finland, May 14 — Officials from the two towns put their names to the document on Monday.");
  REQUIRE(x.events.size() == 1);
  CHECK(Events(x) == std::set<std::string>{"agreement Pori/Kretinga 2024-05-13"});
  CHECK(x.events[0].evidence == "Pori, Kretinga sign sister-city agreement");
  CHECK(x.events[0].start == 0);
  CHECK(x.events[0].end == 0);
  // The body's reading comes first; the headline adds nothing it read.
  auto both = ExtractArticle("Denver council to consider twinning with Brest",
                             "The Denver City Council will consider a sister-city relationship with Brest, France, next month.");
  REQUIRE(both.events.size() == 1);
  CHECK(both.events[0].second.country == "FR");
  // A question, or a comma before the first place's region, is no act.
  CHECK(ExtractArticle("Should Bendigo and Tours become twin towns?", "Residents started a petition.").events.empty());
  CHECK(ExtractArticle("Springfield, Illinois signs sister-city pact", "The council met on Monday.").events.empty());
}

// "DAEGU, South Korea (Korea Herald) — Daegu has upgraded ...": where and by whom a report was
// filed names no party, and its date dates nothing.
TEST_CASE("extractor reads no party and no event date in a dateline") {
  CHECK(Events(ExtractText("VLADIVOSTOK, May 13 (Far East News) — The city of Nakhodka has ended its sister-city relationship "
                           "with Otaru.",
                           "2024-05-15")) == std::set<std::string>{"termination Nakhodka/Otaru "});
}

TEST_CASE("extractor reads a resolution to enter a tie, talks on one and a memorandum between two places as proposals") {
  CHECK(Events(ExtractText("Kochi's council on Tuesday passed a resolution to enter into a sister city agreement with Aveiro.",
                           "2024-05-15")) == std::set<std::string>{"proposal Kochi/Aveiro 2024-05-14"});
  CHECK(Events(ExtractText("Tucson's council voted to begin talks with Segovia, Spain, on a possible sister-city agreement.")) ==
        std::set<std::string>{"proposal Tucson/Segovia "});
  CHECK(Events(ExtractText("Erlangen's council voted to start talks on a partnership with Chernivtsi.")) ==
        std::set<std::string>{"proposal Erlangen/Chernivtsi "});
  CHECK(Events(ExtractText("A memorandum on twin-city relations between Vladivostok and Hue will be signed in April.", "2026-03-11")) ==
        std::set<std::string>{"proposal Vladivostok/Huế 2026-04"});
  // A memorandum between the cities' fire brigades is theirs.
  CHECK(ExtractText("Memmingen and Chernihiv met. A memorandum between the two cities' fire brigades was signed.").events.empty());
}

// "LUBLIN, Poland — The city council on Thursday passed ...": the city right after a dateline is
// the dateline's place; "The city of Nakhodka" names its own.
TEST_CASE("extractor reads the city right after a dateline as the dateline's place") {
  CHECK(Events(ExtractText("LUBLIN, Poland — The city council on Thursday passed a resolution to enter into a partnership "
                           "agreement with Ternopil.",
                           "2024-05-15")) == std::set<std::string>{"proposal Lublin/Ternopil 2024-05-09"});
  CHECK(Events(ExtractText("VLADIVOSTOK — The city of Nakhodka has ended its sister-city relationship with Otaru.")) ==
        std::set<std::string>{"termination Nakhodka/Otaru "});
}

// "Calgary's sister cities are: Québec City, Quebec, Canada; Jaipur, Rajasthan, India; and ...":
// a colon after the tie, and each member with its region and its country.
TEST_CASE("extractor reads a list after a colon whose members carry a region and a country") {
  CHECK(Events(ExtractText("Calgary's sister cities are: Québec City, Quebec, Canada; Jaipur, Rajasthan, India; and Daqing, "
                           "Heilongjiang, China.")) ==
        std::set<std::string>{"agreement Calgary/Québec ", "agreement Calgary/Jaipur ", "agreement Calgary/Daqing "});
}

// Bullet lines after a colon are one sentence with it (the colon's objects), and a division or
// the country named after a member says where it lies.
TEST_CASE("extractor reads bullet lines after a colon as a list, without their regions and countries") {
  CHECK(Events(ExtractText("Calgary's sister cities are:\n\n- Jaipur, Rajasthan, India\n- Naucalpan, State of Mexico, Mexico\n"
                           "- Daqing, Heilongjiang, China\n\nResidents can volunteer.")) ==
        std::set<std::string>{"agreement Calgary/Jaipur ", "agreement Calgary/Naucalpan ", "agreement Calgary/Daqing "});
  // Bullets without a colon before them stand alone.
  CHECK(ExtractText("Calgary has sister cities.\n\n- Jaipur, Rajasthan, India\n- Daqing, Heilongjiang, China").events.empty());
  const std::string text = "Our partners are:\n\n- Jaipur\n- Daqing\n\nThe end.";
  auto splitter = SentenceSplitter::Load(std::string(TW_SOURCE_DIR) + "/rules/text.toml");
  REQUIRE(splitter.ok());
  const auto sentences = splitter.value()->Split(text);
  REQUIRE(sentences.size() == 2);
  CHECK(text.substr(sentences[0].start, sentences[0].end - sentences[0].start) == "Our partners are:\n\n- Jaipur\n- Daqing");
}

TEST_CASE("extractor reads a place with which a city has been twinned, and a tie that is with a place") {
  CHECK(Events(ExtractText("Chernihiv has been rebuilding its partnerships. Its oldest surviving link is with the Polish city of "
                           "Tarnobrzeg, with which Chernihiv has been twinned since 1995.")) ==
        std::set<std::string>{"agreement Chernihiv/Tarnobrzeg 1995"});
  CHECK(Events(ExtractText("Chernihiv has a sister-city programme. Its oldest link is with Tarnobrzeg.")) ==
        std::set<std::string>{"agreement Chernihiv/Tarnobrzeg "});
  // Not a tie of the city's: "its link is with" in an article on no tie.
  CHECK(ExtractText("Chernihiv rebuilt its roads. Its oldest road link is with Kyiv.").events.empty());
}

// Precision on unseen text: what a dateline, a council's "the City", a country's possessive and
// an approved proposal mean.
TEST_CASE("extractor reads a dateline date without a period and the City as the council and a country before a place") {
  // "Lima, Mar 10 (EFE).-": where and when the report was filed; Lima is no party and not the
  // article's city, and the filing date dates no event.
  CHECK(Events(ExtractText("Lima, Mar 10 (EFE).- The Provincial Municipality of Cusco annulled its twinning with the Bolivian city of "
                           "Potosí. In the same session, the council approved the proposal of a councillor to initiate a twinning "
                           "with the Chilean city of Valparaíso.",
                           "2026-03-11")) ==
        std::set<std::string>{"termination Cusco/Potosí ", "proposal Cusco/Valparaíso "});
  // "the City's": the council's word for its own city, never a place named City.
  CHECK(Events(ExtractText("Nanaimo City Council met on Monday. Staff reported that the City's sister city agreement with Kushiro, "
                           "Japan, was signed in 1995.",
                           "2026-06-10")) == std::set<std::string>{"agreement Nanaimo/Kushiro "});
  // "Mexico's Jalisco": the country says where Jalisco lies; it is not Mexico City.
  for (const auto& e : ExtractText("Mexico's Jalisco signed a sister-state agreement with Texas in 2001.").events) {
    CHECK(e.first.name != "Mexico City");
    CHECK(e.second.name != "Mexico City");
  }
  // "approved last month a further proposal to establish": a proposal, not an agreement.
  CHECK(Events(ExtractText("Bursa's municipal council approved last month a further proposal to establish sister city relations "
                           "with Mostar.",
                           "2026-03-11")) == std::set<std::string>{"proposal Bursa/Mostar 2026-02"});
  // Near miss: "Mar del Plata" is no month.
  CHECK(Events(ExtractText("Rosario signed a sister-city agreement with Mar del Plata in 1990.")) ==
        std::set<std::string>{"agreement Rosario/Mar del Plata 1990"});
}

TEST_CASE("extractor leaves ports and denials and states in a crisis and regions that only say where a party lies") {
  // Near misses: two cities' ports, a denial, two capitals standing for their states.
  CHECK(ExtractText("Busan and Rotterdam ports sign a partnership agreement on green shipping corridors.").events.empty());
  CHECK(ExtractText("Chiang Mai denies plan to twin with Kunming.").events.empty());
  CHECK(ExtractText("Essaouira has a sister-city tie with Zaragoza. In 2021, during the crisis between Rabat and Madrid, the "
                    "municipal council suspended the partnership.")
            .events.size() == 1);
  // A firm as the partner; but a city named before the firm is one.
  CHECK(ExtractText("Separately, Suwon signed a memorandum on Monday with LG Display's Vietnamese subsidiary to help Korean "
                    "families settle in Hanoi.")
            .events.empty());
  CHECK(Events(ExtractText("Suwon signed a memorandum with Hanoi on cooperation between companies.")) ==
        std::set<std::string>{"proposal Suwon/Hanoi "});
  // A vote to sign is no signing yet: a proposal.
  CHECK(Events(ExtractText("Saskatoon city council voted unanimously on Monday to sign a twinning agreement with Chernivtsi.",
                           "2026-06-10")) == std::set<std::string>{"proposal Saskatoon/Chernivtsi 2026-06-08"});
  // "the Hokkaido port of Otaru": Otaru is the party; a port the gazetteer lacks gives none, and
  // "the tie" after it is not the tie read before.
  CHECK(Events(ExtractText("Nakhodka became a sister city of the Hokkaido port of Otaru in 1966.")) ==
        std::set<std::string>{"agreement Nakhodka/Otaru 1966"});
  CHECK(Events(ExtractText("Paris and Rome became sister cities in 1956. Wakkanai became a sister city of the Sakhalin port of "
                           "Nevelsk in 1972. Since 2022, the tie has been frozen.")) ==
        std::set<std::string>{"agreement Paris/Rome 1956"});
  // "the capital of Tatarstan" is Kazan, not Tatarstan.
  for (const auto& e : ExtractText("Kazan signed with Isfahan. Earlier, in April, the capital of Tatarstan renewed its agreement of "
                                   "twinning with Astana.")
                           .events) {
    CHECK(e.first.name != "Tatarstan");
    CHECK(e.second.name != "Tatarstan");
  }
  // "the city" is a city: in an article on a province, the city named last.
  CHECK(Events(ExtractText("Novosibirsk Oblast signed a twinning agreement with the Samarkand region on Thursday. Novosibirsk "
                           "Oblast hosts many workers from Uzbekistan. Since then, Novosibirsk has turned to Asia. Last autumn the "
                           "city signed a twinning agreement with the Chinese city of Harbin.",
                           "2026-06-10"))
            .count("agreement Novosibirsk/Harbin 2025") == 1);
}
