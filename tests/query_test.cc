// The query CLI over a fixture store: every filter, every format (golden files in tests/golden/;
// after a deliberate change of output, regenerate them with TW_UPDATE_GOLDEN=1 and review the diff).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "storage/store.h"
#include "tests/store_fixtures.h"
#include "tests/test_util.h"

using namespace tw;
using tw::test::Golden;
using tw::test::RunTwinwatch;

namespace {

Place City(const std::string& name, const std::string& cc, int64_t id, double lat, double lon) {
  return tw::test::TestPlace(name, cc, id, lat, lon);
}

const Place kPrague = City("Prague", "CZ", 3067696, 50.088, 14.4208);
const Place kBeijing = City("Beijing", "CN", 1816670, 39.9075, 116.3972);
const Place kTaipei = City("Taipei", "TW", 1668341, 25.0478, 121.5319);
const Place kVictoria = City("Victoria", "CA", 6174041, 48.4359, -123.3516);
const Place kSuzhou = City("Suzhou", "CN", 1886760, 31.3041, 120.5954);
const Place kSaoPaulo = City("São Paulo", "BR", 3448439, -23.5475, -46.6361);
const Place kZurich = City("Zürich", "CH", 2657896, 47.3667, 8.55);
// A party the gazetteer has no id for.
const Place kDistrict = City("Minhang District", "CN", 0, 31.1129, 121.3815);

using tw::test::TestMention;

Extraction Article(const std::string& url, const std::string& title, const std::string& published,
                   std::vector<EventMention> events, std::vector<CityMention> cities = {}) {
  Extraction x = tw::test::TestArticle(url, title + "\n\n" + std::to_string(events.size()) + " events", std::move(events));
  x.article.title = {title, "og:title"};
  x.article.published = {published, "meta"};
  x.cities = std::move(cities);
  return x;
}

// A small store with the cases the formats must get right: merged sources, accents, a comma and
// quotes in the evidence, an undated event, a party without a geonameid.
void BuildFixture(const std::string& db) {
  auto store = Store::Open(db);
  REQUIRE(store.ok());
  CityMention praha;
  praha.text = "Praha";
  praha.place = kPrague;
  const std::vector<Extraction> articles = {
      Article("https://news.example/2019/prague-beijing", "Prague cuts ties with Beijing", "2019-10-08",
              {TestMention(EventType::kTermination, kPrague, kBeijing, "2019-10", "Prague ended its sister-city agreement with Beijing in October.",
                       "termination.ended-tie-with")},
              {praha}),
      Article("https://other.example/praha", "Praha a Peking", "2019-10-09",
              {TestMention(EventType::kTermination, kBeijing, kPrague, "2019-10-07",
                       "On 7 October 2019, the council voted, \"by a large majority\", to end the tie with Beijing.",
                       "termination.voted-to-end")}),
      Article("https://news.example/2020/prague-taipei", "Prague and Taipei sign", "2020-01-13",
              {TestMention(EventType::kAgreement, kPrague, kTaipei, "2020-01-13", "Prague signed a \"sister-city\" agreement with Taipei, the first in Europe.",
                       "agreement.signed")}),
      Article("https://bc.example/victoria", "Victoria, Suzhou: 40 years", "2020-06-01",
              {TestMention(EventType::kAgreement, kVictoria, kSuzhou, "1980", "Victoria and Suzhou have been sister cities since 1980.",
                       "agreement.since")}),
      Article("https://br.example/sp", "São Paulo e Zürich", "",
              {TestMention(EventType::kProposal, kSaoPaulo, kZurich, "", "São Paulo proposed a partnership with Zürich.",
                       "proposal.proposed")}),
      Article("https://cn.example/minhang", "Minhang and Suzhou", "2022-03-01",
              {TestMention(EventType::kSuspension, kDistrict, kSuzhou, "2022-03", "Minhang District suspended its exchanges with Suzhou.",
                       "suspension.suspended")}),
  };
  for (const auto& x : articles) REQUIRE((*store)->Put(x).ok());
}

std::vector<std::string> Ids(const std::string& jsonl) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < jsonl.size()) {
    const size_t end = jsonl.find('\n', pos);
    out.push_back(nlohmann::json::parse(jsonl.substr(pos, end - pos))["cities"][0]["name"].get<std::string>() + "-" +
                  nlohmann::json::parse(jsonl.substr(pos, end - pos))["cities"][1]["name"].get<std::string>());
    pos = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("query prints the fixture store as golden table, csv, geojson and jsonl") {
  tw::test::TempDir dir;
  BuildFixture(dir / "db");
  for (const char* format : {"table", "csv", "geojson", "jsonl"}) {
    auto r = RunTwinwatch({"query", "--db", dir / "db", "--format", format});
    REQUIRE(r.exit_code == 0);
    INFO(format);
    CHECK(r.out == Golden(std::string("query.") + format, r.out));
  }
}

TEST_CASE("csv output is RFC 4180: CRLF rows, quoted fields with commas and doubled quotes") {
  tw::test::TempDir dir;
  BuildFixture(dir / "db");
  auto r = RunTwinwatch({"query", "--db", dir / "db", "--format", "csv", "--type", "agreement"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("id,type,date,city1,"));
  CHECK_THAT(r.out, Catch::Contains(",\"Victoria, Suzhou: 40 years\","));
  CHECK_THAT(r.out, Catch::Contains(",\"Prague signed a \"\"sister-city\"\" agreement with Taipei, the first in Europe.\","));
  // Three rows (header and two events), each ended by CRLF, no bare LF.
  size_t crlf = 0;
  for (size_t i = 0; i < r.out.size(); ++i) {
    if (r.out[i] == '\n') {
      CHECK(i > 0);
      CHECK(r.out[i - 1] == '\r');
      ++crlf;
    }
  }
  CHECK(crlf == 3);
  CHECK(r.out.substr(r.out.size() - 2) == "\r\n");
}

TEST_CASE("geojson has one LineString per event from the first city to the second, coordinates as lon,lat") {
  tw::test::TempDir dir;
  BuildFixture(dir / "db");
  auto r = RunTwinwatch({"query", "--db", dir / "db", "--format", "geojson", "--type", "agreement"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["type"] == "FeatureCollection");
  REQUIRE(j["features"].size() == 2);
  const auto& f = j["features"][0];
  CHECK(f["geometry"]["type"] == "LineString");
  CHECK(f["properties"]["cities"][0]["name"] == "Victoria");
  CHECK(f["geometry"]["coordinates"][0] == nlohmann::json::array({-123.3516, 48.4359}));
  CHECK(f["geometry"]["coordinates"][1] == nlohmann::json::array({120.5954, 31.3041}));
  CHECK_FALSE(f["properties"]["cities"][0].contains("lat"));
  CHECK(f["properties"]["id"] == f["id"]);
}

TEST_CASE("every query filter, alone and combined") {
  tw::test::TempDir dir;
  BuildFixture(dir / "db");
  auto q = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"query", "--db", dir / "db", "--format", "jsonl"});
    auto r = RunTwinwatch(args);
    REQUIRE(r.exit_code == 0);
    return Ids(r.out);
  };
  using V = std::vector<std::string>;
  // Merged: the two Prague-Beijing reports are one event (dated 2019-10-07).
  CHECK(q({}) == V{"Victoria-Suzhou", "Beijing-Prague", "Prague-Taipei", "Minhang District-Suzhou", "São Paulo-Zürich"});
  for (const char* name : {"praha", "Prague", "PRAGUE"}) CHECK(q({"--city", name}) == V{"Beijing-Prague", "Prague-Taipei"});
  CHECK(q({"--city", "zurich"}) == V{"São Paulo-Zürich"});
  CHECK(q({"--city", "SAO PAULO"}) == V{"São Paulo-Zürich"});
  CHECK(q({"--city", "minhang district"}) == V{"Minhang District-Suzhou"});
  CHECK(q({"--country", "cn"}) == V{"Victoria-Suzhou", "Beijing-Prague", "Minhang District-Suzhou"});
  CHECK(q({"--country", "CA", "--type", "agreement"}) == V{"Victoria-Suzhou"});
  CHECK(q({"--type", "termination"}) == V{"Beijing-Prague"});
  CHECK(q({"--type", "proposal"}) == V{"São Paulo-Zürich"});
  CHECK(q({"--since", "2019-10-07"}) == V{"Beijing-Prague", "Prague-Taipei", "Minhang District-Suzhou"});
  CHECK(q({"--since", "2019-10-08"}) == V{"Prague-Taipei", "Minhang District-Suzhou"});
  CHECK(q({"--until", "2019"}) == V{"Victoria-Suzhou", "Beijing-Prague"});
  CHECK(q({"--since", "2020", "--until", "2020-01"}) == V{"Prague-Taipei"});
  CHECK(q({"--city", "suzhou", "--since", "2000"}) == V{"Minhang District-Suzhou"});
  CHECK(q({"--city", "prague", "--country", "TW"}) == V{"Prague-Taipei"});
  CHECK(q({"--country", "CN", "--limit", "2"}) == V{"Victoria-Suzhou", "Beijing-Prague"});
  CHECK(q({"--city", "nowhere"}).empty());

  // One event by id: the id it has, or the one it had before the day-precise report refined its date.
  const std::string month_id = EventId(EventType::kTermination, kPrague, kBeijing, "2019-10");
  const std::string day_id = EventId(EventType::kTermination, kPrague, kBeijing, "2019-10-07");
  for (const std::string& id : {month_id, day_id}) {
    auto r = RunTwinwatch({"query", "--db", dir / "db", "--format", "json", "--id", id});
    REQUIRE(r.exit_code == 0);
    const auto events = nlohmann::json::parse(r.out);
    REQUIRE(events.size() == 1);
    CHECK(events[0]["id"] == day_id);
    CHECK(events[0]["sources"].size() == 2);
  }
  CHECK(q({"--id", "0123456789abcdef"}).empty());
}

TEST_CASE("a bad query value is exit 2 with a message naming the flag and the accepted forms") {
  tw::test::TempDir dir;
  BuildFixture(dir / "db");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--since", "2019-13"}, "--since '2019-13' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"},
      {{"--until", "19"}, "--until '19' is not a date"},
      {{"--since", "2019-02-30x"}, "--since"},
      {{"--type", "friendship"}, "--type 'friendship' is not an event type: use agreement, termination, suspension or proposal"},
      {{"--country", "CZE"}, "--country 'CZE' is not a country code: use ISO 3166-1 alpha-2"},
      {{"--format", "xml"}, "--format 'xml' is not supported: use table, jsonl, json, csv or geojson"},
      {{"--id", "prague"}, "--id 'prague' is not an event id: use the 16 hex digits"},
      {{"--id", "0123456789abcdef", "--city", "prague"}, "--id excludes --city"},
  };
  for (const auto& c : cases) {
    auto args = c.args;
    args.insert(args.begin(), {"query", "--db", dir / "db"});
    auto r = RunTwinwatch(args);
    INFO(c.args[0] << " " << c.args[1]);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.message));
    CHECK(r.out.empty());
  }
}
