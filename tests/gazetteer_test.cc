#include <catch2/catch.hpp>

#include <filesystem>

#include "extractors/gazetteer.h"
#include "extractors/text.h"
#include "tests/rules_fixture.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

const Gazetteer& SharedGazetteer() { return tw::test::ProjectRules<Gazetteer>("rules/gazetteer"); }

// The mentions of `text` as "as written=geonameid" strings, in order.
std::vector<std::string> Mentions(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& m : SharedGazetteer().FindCities(text)) out.push_back(m.text + "=" + std::to_string(m.place.geonameid));
  return out;
}

// The place `name` resolves to in `text` (0 if it is not found as a mention).
int64_t PlaceOf(const std::string& text, const std::string& name) {
  for (const auto& m : SharedGazetteer().FindCities(text)) {
    if (m.text == name) return m.place.geonameid;
  }
  return 0;
}

// Copies rules/ into a temporary folder so a test can break one file.
void CopyRules(const tw::test::TempDir& dir) {
  std::filesystem::copy(std::string(TW_SOURCE_DIR) + "/rules/gazetteer", dir.path(), std::filesystem::copy_options::recursive);
}

constexpr int64_t kPrague = 3067696, kVictoriaBC = 6174041, kSuzhouJiangsu = 1886760, kXuhui = 1787957, kBeijing = 1816670,
                  kNapier = 2186313, kReadingGB = 2639577, kRichmondBC = 6122085, kJiangsu = 1806260;

}  // namespace

TEST_CASE("gazetteer finds places by any of their names, folding case, accents and punctuation") {
  const auto& g = SharedGazetteer();
  CHECK(g.place_count() > 100000);
  for (const char* name : {"Prague", "praha", "PRAGUE", "Prag"}) {
    auto found = g.Lookup(name);
    REQUIRE_FALSE(found.empty());
    CHECK(found.front()->geonameid == kPrague);
  }
  CHECK_FALSE(g.Lookup("Zürich").empty());
  CHECK(g.Lookup("Zürich").front()->geonameid == g.Lookup("zurich").front()->geonameid);
  CHECK(g.Lookup("Saint Petersburg").front()->geonameid == g.Lookup("St. Petersburg").front()->geonameid);
  CHECK(g.Lookup("no such place anywhere").empty());
  auto names = g.NamesOf(kPrague);
  CHECK(std::find(names.begin(), names.end(), "Praha") != names.end());
  REQUIRE(g.FindById(kPrague) != nullptr);
  CHECK(g.FindById(kPrague)->country == "CZ");
  CHECK(g.FindById(1) == nullptr);
  CHECK(g.CountryCode("Czech Republic") == "CZ");
  CHECK(g.CountryCode("russia") == "RU");
  CHECK(g.CountryCode("Atlantis").empty());
}

TEST_CASE("gazetteer holds first-level divisions and city districts") {
  const auto& g = SharedGazetteer();
  auto jiangsu = g.Lookup("Jiangsu");
  REQUIRE_FALSE(jiangsu.empty());
  CHECK(jiangsu.front()->feature == "ADM1");
  CHECK(jiangsu.front()->country == "CN");
  auto ohio = g.Lookup("Ohio");
  REQUIRE_FALSE(ohio.empty());
  CHECK(ohio.front()->feature == "ADM1");
  auto xuhui = g.Lookup("Xuhui District");
  REQUIRE_FALSE(xuhui.empty());
  CHECK(xuhui.front()->geonameid == kXuhui);
}

TEST_CASE("a country or region after a name picks the place") {
  CHECK(PlaceOf("It also has three other twin cities: Napier, New Zealand; Morioka, Japan.", "Napier") == kNapier);
  CHECK(PlaceOf("The mayor of Victoria, B.C., recently met the ambassador.", "Victoria") == kVictoriaBC);
  CHECK(PlaceOf("Students from Reading, England, visited.", "Reading") == kReadingGB);
  CHECK(PlaceOf("In 2006, Irvine County, California, signed an agreement.", "Irvine County") == 5359777);
  CHECK(PlaceOf("Officials in Kursk (Russia) did not answer.", "Kursk") == 538560);
}

TEST_CASE("words before a name and an apposition after it are cues too") {
  CHECK(PlaceOf("Prague ended its agreement with the Chinese capital Beijing.", "Beijing") == kBeijing);
  CHECK(PlaceOf("Victoria has a tie with Suzhou, a major economic centre in China's eastern Jiangsu Province.", "Suzhou") == kSuzhouJiangsu);
  CHECK(PlaceOf("Irvine signed with the Xuhui District in Shanghai in 2006.", "Xuhui District") == kXuhui);
  CHECK(PlaceOf("China's eastern Jiangsu Province is large.", "Jiangsu Province") == kJiangsu);
  CHECK(PlaceOf("Delegates came from the English city of Reading.", "Reading") == kReadingGB);
}

TEST_CASE("a name resolved with a cue means the same place everywhere in the article") {
  const std::string text = "Victoria has many friends.\n\nThe mayor of Victoria, B.C., met the ambassador. Victoria will sign.";
  auto found = SharedGazetteer().FindCities(text);
  REQUIRE(found.size() == 3);
  for (const auto& m : found) CHECK(m.place.geonameid == kVictoriaBC);
}

TEST_CASE("the countries an article talks about choose among places of the same name") {
  CHECK(PlaceOf("The other cities are Ottawa, Regina, Richmond, Saskatoon and Winnipeg.", "Richmond") == kRichmondBC);
  auto us = SharedGazetteer().FindCities("Richmond, Virginia, and Norfolk held talks. Richmond agreed.");
  REQUIRE_FALSE(us.empty());
  CHECK(us.back().place.country == "US");
}

TEST_CASE("common words, people and headlines are not places without a cue") {
  CHECK(Mentions("Queen Victoria opened the bridge.").empty());
  CHECK(Mentions("Reading is a pleasure, and March is cold.").empty());
  CHECK(Mentions("Best practices were shared by the Police Department.").empty());
  CHECK(Mentions("Photo by Greg Baker and Scott Powell for the agency.").empty());
  CHECK(Mentions("Kennedy Stewart spoke first. Later, Stewart left.").empty());
  CHECK(Mentions("Mayor Marianne Alto and Mr. Stewart met the CAN delegates.").empty());
  CHECK(Mentions("The move follows similar decisions elsewhere in the Baltic states.").empty());
  // ...but a common-word name alone inside a sentence, if the place is sizeable, is one.
  CHECK(Mentions("The team flew to Cologne on Monday.") == std::vector<std::string>{"Cologne=2886242"});
  CHECK(Mentions("The team flew to Nice on Monday.").empty());  // a stop name: needs a cue
  CHECK(Mentions("The team flew to Nice, France, on Monday.") == std::vector<std::string>{"Nice=2990440"});
}

TEST_CASE("a possessive is not part of a name") {
  CHECK(Mentions("Victoria’s old harbour is as busy as Prague’s old town.") == std::vector<std::string>{"Prague=3067696"});
  CHECK(Mentions("Prague’s Twin City program began in 2020.") == std::vector<std::string>{"Prague=3067696"});
}

// "the Lord Mayor of Cork", "Victoria's other sister state": an office or a tie of the name's own
// makes a common-word or stop name a place, of the kind they say, and the same name elsewhere in
// the article too (even where a sentence opens with it).
TEST_CASE("an office or a tie of its own makes a common-word name a place, everywhere in the article") {
  constexpr int64_t kCork = 2965140, kVictoriaAU = 2145234;
  CHECK(Mentions("Cork and Shanghai became sister cities in 2005.") == std::vector<std::string>{"Shanghai=1796236"});
  CHECK(Mentions("The Lord Mayor of Cork spoke. Cork and Shanghai became sister cities in 2005.") ==
        std::vector<std::string>{"Cork=2965140", "Cork=2965140", "Shanghai=1796236"});
  CHECK(PlaceOf("Officials met in Melbourne. Victoria's other sister state is Aichi Prefecture in Japan.", "Victoria") == kVictoriaAU);
  const std::string renewal = "Victoria and Jiangsu renewed their agreement in Melbourne. The governor of Victoria attended.";
  CHECK(PlaceOf(renewal, "Victoria") == kVictoriaAU);
  CHECK(PlaceOf("The mayor of Cork, Ireland, said so.", "Cork") == kCork);
  CHECK(Mentions("The head of Victoria spoke.").empty());  // not an office: no cue
  // A cue makes a small place a place too (GeoNames counts Wagga Wagga as 7,690 people); a suffix
  // ends the name, so "Council" after it is the place's own.
  CHECK(Mentions("The Mayor of Wells spoke.") == std::vector<std::string>{"Wells=2634569"});
  CHECK(Mentions("On Monday the Wagga Wagga City Council voted on the motion.") == std::vector<std::string>{"Wagga Wagga City=2145110"});
}

// GeoNames writes some Japanese and Korean places with their administrative ending ("Nara-shi");
// news writes them with or without it ("Gyeongsangbuk-do", "Nara").
TEST_CASE("Japanese and Korean names are known with and without a hyphenated ending, and shown without it") {
  constexpr int64_t kNaraCity = 1855612, kGyeongbuk = 1841597;
  const auto& g = SharedGazetteer();
  auto nara = g.FindById(kNaraCity);
  REQUIRE(nara != nullptr);
  CHECK(nara->name == "Nara");
  auto names = g.NamesOf(kNaraCity);
  CHECK(std::find(names.begin(), names.end(), "Nara-shi") != names.end());
  CHECK(PlaceOf("Nara-shi and Kyoto held talks.", "Nara-shi") == kNaraCity);
  CHECK(PlaceOf("Gyeongsangbuk-do, which administers the islets, cut ties.", "Gyeongsangbuk-do") == kGyeongbuk);
  CHECK(PlaceOf("Officials of Gyeongsangbuk said so.", "Gyeongsangbuk") == kGyeongbuk);
  auto bucheon = g.Lookup("Bucheon");  // GeoNames: "Bucheon-si"
  REQUIRE_FALSE(bucheon.empty());
  CHECK(bucheon.front()->name == "Bucheon");
  CHECK(bucheon.front()->country == "KR");
}

// A place is shown by the name the text gives it when that is another of its names ("Ayodhya" is
// GeoNames' "Ajodhya"), by its own name otherwise and where the text writes it in capitals.
TEST_CASE("a place is shown by the name the text gives it") {
  auto found = SharedGazetteer().FindCities("Pilgrims visited Ayodhya, India, and Kyoto.");
  REQUIRE(found.size() == 2);
  CHECK(found[0].place.geonameid == 1278094);
  CHECK(found[0].place.name == "Ayodhya");
  CHECK(found[1].place.name == "Kyoto");
  auto dateline = SharedGazetteer().FindCities("PRAGUE — The talks went on.");
  REQUIRE(dateline.size() == 1);
  CHECK(dateline[0].place.name == "Prague");
  // A name with a city suffix is shown by the place's own name ("Kyiv City" is GeoNames' Kyiv).
  auto suffixed = SharedGazetteer().FindCities("The Kyiv City Council met on Monday.");
  REQUIRE(suffixed.size() == 1);
  CHECK(suffixed[0].place.geonameid == 703447);
  CHECK(suffixed[0].place.name != "Kyiv City");
}

TEST_CASE("gazetteer files with errors fail to load, naming the file and line") {
  tw::test::TempDir dir;
  CopyRules(dir);
  std::filesystem::remove(dir / "places.tsv.gz");
  tw::test::WriteFile(dir / "places.tsv", "# header\n3067696\tPrague\tPrague\tCZ\t52\tPPLC\t1165581\t50.08\t14.42\n1\tbad\n");
  auto short_row = Gazetteer::Load(dir.path());
  REQUIRE_FALSE(short_row.ok());
  CHECK_THAT(short_row.status().message(), Catch::StartsWith(dir / "places.tsv:3:"));

  tw::test::WriteFile(dir / "places.tsv",
                      "3067696\tPrague\tPrague\tCZ\t52\tPPLC\t1165581\t50.08\t14.42\n"
                      "3067696\tPraha\tPraha\tCZ\t52\tPPLC\t1165581\t50.08\t14.42\n");
  auto twice = Gazetteer::Load(dir.path());
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(twice.status().message(), Catch::Contains("places.tsv:2: geonameid 3067696 is listed twice"));

  tw::test::WriteFile(dir / "places.tsv", "3067696\tPrague\tPrague\tCZ\t52\tPPLC\tmany\t50.08\t14.42\n");
  auto bad_number = Gazetteer::Load(dir.path());
  REQUIRE_FALSE(bad_number.ok());
  CHECK_THAT(bad_number.status().message(), Catch::Contains("places.tsv:1: bad number"));
}

TEST_CASE("an analyst can add places in extra-places.tsv") {
  tw::test::TempDir dir;
  CopyRules(dir);
  tw::test::WriteFile(dir / "extra-places.tsv",
                      "# geonameid name asciiname country admin1 feature population lat lon alternatenames\n"
                      "1798524\tPudong\tPudong\tCN\t23\tPPLA4\t5681512\t31.2400\t121.5009\tPudong New Area\n");
  auto g = Gazetteer::Load(dir.path());
  REQUIRE(g.ok());
  auto found = g.value()->FindCities("Pudong New Area signed an agreement.");
  REQUIRE(found.size() == 1);
  CHECK(found[0].place.geonameid == 1798524);
}

// Places GeoNames lacks (Tokyo's wards, Kyiv's districts) are known from their cues alone: a
// country after the name, or a district suffix and the city it lies in. Without such a cue, an
// unknown capitalised word is no place.
TEST_CASE("a place the gazetteer lacks is known from a country after it or its city") {
  auto list = SharedGazetteer().FindCities("Portland has sister cities in Shinagawa, Japan; Mytilene, Greece; and Cap-Haïtien, Haiti.");
  REQUIRE(list.size() == 4);
  CHECK(list[1].text == "Shinagawa");
  CHECK(list[1].place.name == "Shinagawa");
  CHECK(list[1].place.country == "JP");
  CHECK(list[1].place.geonameid == 0);
  CHECK(list[2].place.geonameid == 256866);
  auto district = SharedGazetteer().FindCities("The agreement between Kyiv's Pechersk district and the Obolon district of Kyiv was signed.");
  REQUIRE(district.size() == 4);
  CHECK(district[1].text == "Pechersk district");
  CHECK(district[1].place.country == "UA");  // GeoNames' only Pechersk is a Russian village
  CHECK(district[1].place.geonameid == 0);
  CHECK(district[2].text == "Obolon district");
  CHECK(district[2].place.name == "Obolon");
  CHECK(district[2].place.country == "UA");
  // No cue, a person, the start of a sentence, a longer name: no place.
  CHECK(Mentions("Officials met Kowalczyk on Monday.").empty());
  CHECK(Mentions("The winner was Eliud Kipchoge, Kenya.").empty());
  CHECK(Mentions("Kowalczyk, Poland, won.").empty());
  CHECK(Mentions("It beat Honda Motor, Japan, in sales.").empty());
}
