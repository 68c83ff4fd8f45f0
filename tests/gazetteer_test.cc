#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>

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
  CHECK(PlaceOf("In 2006, Irvine, California, signed an agreement.", "Irvine") == 5359777);
  // With a division suffix it is a county of California, not the city (GeoNames has no counties).
  auto county = SharedGazetteer().FindCities("In 2006, Irvine County, California, signed an agreement.");
  REQUIRE(county.size() == 1);
  CHECK(county[0].text == "Irvine County");
  CHECK(county[0].place.from_text);
  CHECK(county[0].place.country == "US");
  CHECK(county[0].place.admin1 == SharedGazetteer().FindById(5359777)->admin1);
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
  // The city named with a district only says where it lies: no mention of its own.
  auto district = SharedGazetteer().FindCities("The agreement between Kyiv's Pechersk district and the Obolon district of Kyiv was signed.");
  REQUIRE(district.size() == 2);
  CHECK(district[0].text == "Pechersk district");
  CHECK(district[0].place.country == "UA");  // GeoNames' only Pechersk is a Russian village
  CHECK(district[0].place.geonameid == 0);
  CHECK(district[1].text == "Obolon district");
  CHECK(district[1].place.name == "Obolon");
  CHECK(district[1].place.country == "UA");
  CHECK(Mentions("Kyiv's mayor visited the Obolon district.") == std::vector<std::string>{"Kyiv=703448"});
  // No cue, a person, the start of a sentence, a longer name: no place.
  CHECK(Mentions("Officials met Kowalczyk on Monday.").empty());
  CHECK(Mentions("The winner was Eliud Kipchoge, Kenya.").empty());
  CHECK(Mentions("Kowalczyk, Poland, won.").empty());
  CHECK(Mentions("It beat Honda Motor, Japan, in sales.").empty());
}

namespace {

// The mention written `text` in `article`, or nullptr.
std::optional<CityMention> MentionOf(const std::string& article, const std::string& text) {
  for (const auto& m : SharedGazetteer().FindCities(article)) {
    if (m.text == text) return m;
  }
  return std::nullopt;
}

// "name/country" of the place read from the text as mention `text` of `article` ("" if none is).
std::string ReadFromText(const std::string& article, const std::string& text) {
  auto m = MentionOf(article, text);
  return m && m->place.from_text && m->place.geonameid == 0 ? m->place.name + "/" + m->place.country : "";
}

// Every mention's text, in order.
std::vector<std::string> MentionTexts(const std::string& article) {
  std::vector<std::string> out;
  for (const auto& m : SharedGazetteer().FindCities(article)) out.push_back(m.text);
  return out;
}

}  // namespace

TEST_CASE("a place the gazetteer lacks is read from its kind word, in the country the text gives") {
  // A district suffix and the city in the possessive: the district is the mention, the city only
  // says where it lies.
  auto gangnam = SharedGazetteer().FindCities("Seoul's Gangnam District signed a friendship agreement with Makati.");
  REQUIRE(gangnam.size() == 2);
  CHECK(gangnam[0].text + "=" + gangnam[0].place.name + "/" + gangnam[0].place.country + "/" + gangnam[0].place.feature ==
        "Gangnam District=Gangnam/KR/PPLX");
  CHECK((gangnam[0].place.geonameid == 0 && gangnam[0].place.from_text));
  CHECK(gangnam[1].text == "Makati");
  CHECK_FALSE(gangnam[1].place.from_text);
  // The city or region it lies in, after it.
  CHECK(ReadFromText("Officials met a delegation from Heping District in Tianjin on Monday.", "Heping District") == "Heping/CN");
  // A hyphenated ending says the kind and the country; a division's is shown with its word.
  CHECK(ReadFromText("The delegation from Seocho-gu arrived.", "Seocho-gu") == "Seocho/KR");
  CHECK(ReadFromText("Officials from Yangpyeong-gun came too.", "Yangpyeong-gun") == "Yangpyeong County/KR");
  // A place noun and "of", with a demonym, or a region after: not GeoNames' Taiji in China.
  CHECK(ReadFromText("Broome suspended its ties with the Japanese town of Taiji.", "Taiji") == "Taiji/JP");
  auto wakayama = MentionOf("The town of Taiji, in Wakayama Prefecture, is known for its hunt.", "Taiji");
  REQUIRE(wakayama);
  CHECK(wakayama->place.country == "JP");
  CHECK(wakayama->place.admin1 == SharedGazetteer().Lookup("Wakayama Prefecture").front()->admin1);
  // An apposition whose head is a kind word.
  CHECK(ReadFromText("Seocho signed an agreement with Osmangazi, a district of Bursa in Turkey, on Monday.", "Osmangazi") ==
        "Osmangazi/TR");
  // The same name elsewhere in the article is the same place, with or without its kind word.
  auto again = SharedGazetteer().FindCities(
      "Broome cut ties with the Japanese town of Taiji. Broome and Taiji became sister cities in 1981. Tepebaşı Municipality "
      "in Eskişehir signed it. Tepebaşı Mayor Ahmet Ataç spoke.");
  std::vector<std::string> from_text;
  for (const auto& m : again) {
    if (m.place.from_text) from_text.push_back(m.text + "/" + m.place.country);
  }
  CHECK(from_text == std::vector<std::string>{"Taiji/JP", "Taiji/JP", "Tepebaşı Municipality/TR", "Tepebaşı/TR"});
  // No cue of where: the article's main country; no country at all: no place.
  CHECK(ReadFromText("Kenya's counties met in Nairobi. Juja Municipality signed a pact with Kisumu.", "Juja Municipality") ==
        "Juja/KE");
  CHECK(MentionTexts("Officials said Zubrowka District signed a pact.").empty());
  // The one country its sentence names beats the article's main one.
  CHECK(ReadFromText("Tokyo and Osaka met in Japan. Japan agreed. Juja Municipality is an hour from Nairobi.", "Juja Municipality") ==
        "Juja/KE");
}

TEST_CASE("organisations, people, common words and sentence openers are no places read from their shape") {
  CHECK(MentionTexts("Orange County Choppers built a bike.").empty());
  CHECK(MentionTexts("The bike came from Orange County Choppers in New York.") == std::vector<std::string>{"New York"});
  CHECK(MentionTexts("Students of Lincoln Township High School in Michigan visited.") == std::vector<std::string>{"Michigan"});
  for (const char* text : {"The Kiambu County Assembly in Kenya approved the trip.", "The Zubrowka District Court in Poland ruled.",
                           "The Central District of the city in Japan was closed.", "The town of Taiji in Japan hunts dolphins.",
                           "This district in Japan is quiet.", "In Poland, Kowalczyk, the district's mayor, said no.",
                           "In Poland, Kowalczyk, a town councillor, said no.", "Mr. Zubrowka of Poland and Ms. Smith Town of Japan met."}) {
    INFO(text);
    for (const auto& m : SharedGazetteer().FindCities(text)) {
      CHECK_FALSE((m.place.from_text && m.text != "Taiji"));
    }
  }
  // Areas, adjectives, surnames: "the Lake District", "the Palatinate town", "Lewis Ward".
  for (const char* text : {"Kendal in England lies on the edge of the Lake District.", "Families in Germany hosted guests from the Palatinate town.",
                           "The Provincial Municipality of Lima in Peru signed.", "Lewis Ward, an analyst in the United States, said so."}) {
    INFO(text);
    const auto found = SharedGazetteer().FindCities(text);
    CHECK(std::none_of(found.begin(), found.end(), [](const CityMention& m) { return m.place.from_text; }));
  }
  // "the Konya Metropolitan Municipality of Turkey": Turkey is a country, and the noun ends a name.
  for (const auto& m : SharedGazetteer().FindCities("The Kano State Government and the Konya Metropolitan Municipality of Turkey signed.")) {
    CHECK_FALSE(m.place.from_text);
  }
}

TEST_CASE("a division suffix names the division, never the city of the same name") {
  const Gazetteer& g = SharedGazetteer();
  auto division_of = [&](const std::string& text, const std::string& name) {
    auto m = MentionOf(text, name);
    REQUIRE(m);
    return *m;
  };
  // Divisions GeoNames has: the division, named with its kind word.
  CHECK(division_of("Kano State signed a twinning agreement with Konya.", "Kano State").place.feature == "ADM1");
  CHECK(division_of("Toyama Prefecture and Oregon marked their ties.", "Toyama Prefecture").place.feature == "ADM1");
  auto nakuru = division_of("Nakuru County signed an agreement with Hunan Province.", "Nakuru County");
  CHECK(nakuru.place.feature == "ADM1");
  CHECK(nakuru.place.name == "Nakuru County");
  CHECK(division_of("Bac Ninh Province and Gyeonggi Province signed.", "Bac Ninh Province").place.feature == "ADM1");
  // The division by its full name ("Zabul Province"), not a namesake village; a loose apposition
  // ("by Nizhny Novgorod Mayor ...") does not make Anhui a Russian province.
  CHECK(division_of("Fighting went on in Zabul province, officials said.", "Zabul province").place.geonameid == 1121143);
  CHECK(division_of("It was signed in Hefei, the capital of Anhui Province, by Nizhny Novgorod Mayor Andrei Sokolov.", "Anhui Province")
            .place.country == "CN");
  // A division GeoNames lacks, whose namesake is a city: read from the text, in the city's country.
  auto iloilo = division_of("Iloilo Province signed a pact with Jeju Province.", "Iloilo Province");
  CHECK(iloilo.place.from_text);
  CHECK(iloilo.place.name == "Iloilo Province");
  CHECK(iloilo.place.country == "PH");
  CHECK(iloilo.place.feature == "ADMD");
  CHECK(iloilo.place.lat == Approx(g.Lookup("Iloilo").front()->lat));  // where its namesake lies
  // The city: "the city of Toyama", "Iloilo City", Toyama alone.
  const int64_t toyama_city = division_of("Durham is twinned with the city of Toyama.", "Toyama").place.geonameid;
  CHECK(g.FindById(toyama_city)->feature != "ADM1");
  CHECK(division_of("Iloilo City signed with Hamamatsu.", "Iloilo City").place.geonameid == g.Lookup("Iloilo").front()->geonameid);
  CHECK(g.FindById(division_of("Iloilo City signed with Hamamatsu.", "Iloilo City").place.geonameid)->feature != "ADM1");
}

TEST_CASE("a place read from the text is found by query names with and without its kind word") {
  Place p;
  p.name = "Iloilo Province";
  p.country = "PH";
  p.from_text = true;
  CHECK(SharedGazetteer().NamesOfFromText(p) == std::vector<std::string>{"Iloilo Province", "Iloilo"});
  p.name = "Seocho";
  CHECK(SharedGazetteer().NamesOfFromText(p) == std::vector<std::string>{"Seocho"});
}

TEST_CASE("a broken shape ending in cues.toml fails to load, naming the file") {
  tw::test::TempDir dir;
  CopyRules(dir);
  std::string cues = tw::test::ReadFile(dir / "cues.toml");
  const std::string good = "district = [\"gu:KR\"";
  const size_t at = cues.find(good);
  REQUIRE(at != std::string::npos);
  cues.replace(at, good.size(), "district = [\"gu\"");
  tw::test::WriteFile(dir / "cues.toml", cues);
  auto g = Gazetteer::Load(dir.path());
  REQUIRE_FALSE(g.ok());
  CHECK_THAT(g.status().message(), Catch::Contains("cues.toml") && Catch::Contains("ENDING:COUNTRY"));
}
