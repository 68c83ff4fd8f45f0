// The HTTP API through a real client (libcurl) on 127.0.0.1: paging, errors, and readers running
// while a writer stores articles.
#include <catch2/catch.hpp>

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "storage/http_api.h"
#include "storage/store.h"
#include "tests/store_fixtures.h"
#include "tests/test_util.h"

using namespace tw;
using tw::test::TestArticle;
using tw::test::TestMention;
using tw::test::TestPlace;

namespace {

struct HttpAnswer {
  long status = 0;
  std::string body;
  std::string headers;  // as received, one "Name: value\r\n" per line
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// libcurl's global set-up is not thread-safe: done once, before any client thread.
const bool kCurlReady = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;

// Status 0 when there was no answer. No Catch assertions: client threads call this.
HttpAnswer Get(int port, const std::string& path, const char* method = "GET") {
  HttpAnswer answer;
  CURL* curl = kCurlReady ? curl_easy_init() : nullptr;
  if (curl == nullptr) return answer;
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_easy_cleanup(curl);
  return answer;
}

// An ApiServer on 127.0.0.1 (any free port), serving from a thread until destroyed.
class RunningServer {
 public:
  RunningServer(Store& store, ApiOptions options) : server_(store, options) {
    REQUIRE(server_.Bind("127.0.0.1", 0).ok());
    thread_ = std::thread([this] { server_.Run(); });
  }
  ~RunningServer() {
    server_.Stop();
    thread_.join();
  }
  int port() const { return server_.port(); }

 private:
  ApiServer server_;
  std::thread thread_;
};

const Place kPrague = TestPlace("Prague", "CZ", 3067696, 50.088, 14.4208);
const Place kBeijing = TestPlace("Beijing", "CN", 1816670, 39.9075, 116.3972);

// Article `i` reports a tie of Prague dated in year 1900 + i: one distinct event each.
Extraction NumberedArticle(int i) {
  return TestArticle("https://news.example/" + std::to_string(i), "Text number " + std::to_string(i),
                     {TestMention(EventType::kAgreement, kPrague, kBeijing, std::to_string(1900 + i), "Sentence " + std::to_string(i) + ".")});
}

Store& OpenReader(const std::string& db, std::unique_ptr<Store>* holder) {
  StoreOptions ro;
  ro.read_only = true;
  auto reader = Store::Open(db, ro);
  REQUIRE(reader.ok());
  *holder = std::move(*reader);
  return **holder;
}

}  // namespace

TEST_CASE("the HTTP API pages events with a total and serves single events, articles, stats and health") {
  tw::test::TempDir dir;
  auto writer = Store::Open(dir / "db");
  REQUIRE(writer.ok());
  for (int i = 0; i < 25; ++i) REQUIRE((*writer)->Put(NumberedArticle(i)).ok());
  std::unique_ptr<Store> reader;
  RunningServer server(OpenReader(dir / "db", &reader), ApiOptions{});

  auto health = Get(server.port(), "/healthz");
  CHECK(health.status == 200);
  CHECK(health.json()["status"] == "ok");

  auto page = Get(server.port(), "/events?city=PRAGUE&limit=10&offset=20");
  REQUIRE(page.status == 200);
  auto j = page.json();
  CHECK(j["total"] == 25);
  CHECK(j["offset"] == 20);
  CHECK(j["limit"] == 10);
  REQUIRE(j["events"].size() == 5);
  CHECK(j["events"][0]["date"] == "1920");
  CHECK(j["events"][4]["date"] == "1924");
  CHECK(Get(server.port(), "/events").json()["events"].size() == 25);  // default limit 100
  CHECK(Get(server.port(), "/events?since=1910&until=1911&type=agreement&country=cn").json()["total"] == 2);

  const nlohmann::json event = j["events"][0];
  auto one = Get(server.port(), "/events/" + event["id"].get<std::string>());
  REQUIRE(one.status == 200);
  CHECK(one.json() == event);

  const std::string article_id = event["sources"][0]["article_id"];
  auto article = Get(server.port(), "/articles/" + article_id);
  REQUIRE(article.status == 200);
  CHECK(article.json()["text"] == "Text number 20");
  CHECK(article.json()["url"] == "https://news.example/20");
  CHECK(article.json()["events"] == nlohmann::json::array({event["id"]}));

  auto stats = Get(server.port(), "/stats");
  REQUIRE(stats.status == 200);
  CHECK(stats.json()["articles"] == 25);
  CHECK(stats.json()["events_by_type"]["agreement"] == 25);
}

TEST_CASE("GET /events/{id} with an id the event had before its date was refined answers the event as it is now") {
  tw::test::TempDir dir;
  auto writer = Store::Open(dir / "db");
  REQUIRE(writer.ok());
  auto month = TestMention(EventType::kSuspension, kPrague, kBeijing, "2022-03", "Prague suspended the tie in March.");
  auto day = TestMention(EventType::kSuspension, kPrague, kBeijing, "2022-03-04", "On 4 March Prague suspended the tie.");
  REQUIRE((*writer)->Put(TestArticle("https://news.example/a", "Text a", {month})).ok());
  const std::string old_id = EventId(EventType::kSuspension, kPrague, kBeijing, "2022-03");
  const std::string new_id = EventId(EventType::kSuspension, kPrague, kBeijing, "2022-03-04");
  std::unique_ptr<Store> reader;
  RunningServer server(OpenReader(dir / "db", &reader), ApiOptions{});
  auto before = Get(server.port(), "/events/" + old_id);
  REQUIRE(before.status == 200);
  CHECK(before.json()["id"] == old_id);
  CHECK(before.headers.find("Content-Location") == std::string::npos);

  REQUIRE((*writer)->Put(TestArticle("https://news.example/b", "Text b", {day})).ok());
  REQUIRE(reader->CatchUp().ok());
  auto after = Get(server.port(), "/events/" + old_id);
  REQUIRE(after.status == 200);
  CHECK(after.json()["id"] == new_id);
  CHECK(after.json()["date"] == "2022-03-04");
  CHECK(after.json()["sources"].size() == 2);
  CHECK(after.headers.find("Content-Location: /events/" + new_id + "\r\n") != std::string::npos);
  CHECK(Get(server.port(), "/events/" + new_id).json() == after.json());
  CHECK(Get(server.port(), "/events?since=2022").json()["total"] == 1);
}

TEST_CASE("a bad HTTP parameter is 400 with a JSON error, and unknown ids and paths are 404") {
  tw::test::TempDir dir;
  {
    auto writer = Store::Open(dir / "db");
    REQUIRE(writer.ok());
    REQUIRE((*writer)->Put(NumberedArticle(1)).ok());
  }
  std::unique_ptr<Store> reader;
  RunningServer server(OpenReader(dir / "db", &reader), ApiOptions{});
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"/events?since=2019-13", "since '2019-13' is not a date"},
      {"/events?until=yesterday", "until 'yesterday' is not a date"},
      {"/events?type=friendship", "type 'friendship' is not an event type"},
      {"/events?country=CZE", "country 'CZE' is not a country code"},
      {"/events?limit=0", "limit 0 is out of range: use 1 to 1000"},
      {"/events?limit=5000", "limit 5000 is out of range"},
      {"/events?limit=ten", "limit 'ten' is not a number"},
      {"/events?offset=-1", "offset '-1' is not a number"},
      {"/events?citty=prague", "unknown parameter 'citty'"},
  };
  for (const auto& [path, message] : bad) {
    auto r = Get(server.port(), path);
    INFO(path);
    CHECK(r.status == 400);
    CHECK_THAT(r.json()["error"].get<std::string>(), Catch::Contains(message));
  }
  for (const char* path : {"/events/0000000000000000", "/events/not-an-id", "/articles/0000000000000000", "/nowhere"}) {
    auto r = Get(server.port(), path);
    INFO(path);
    CHECK(r.status == 404);
    CHECK(r.json().contains("error"));
  }
  CHECK(Get(server.port(), "/events", "DELETE").status >= 400);
}

TEST_CASE("HTTP readers run while a writer stores articles, and see every article once it is done") {
  tw::test::TempDir dir;
  auto writer = Store::Open(dir / "db");
  REQUIRE(writer.ok());
  REQUIRE((*writer)->Put(NumberedArticle(0)).ok());
  std::unique_ptr<Store> reader;
  ApiOptions options;
  options.refresh_ms = 20;
  RunningServer server(OpenReader(dir / "db", &reader), options);

  constexpr int kArticles = 300;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0}, requests{0}, write_failures{0};
  std::thread ingest([&] {
    for (int i = 1; i < kArticles; ++i) {
      if (!(*writer)->Put(NumberedArticle(i)).ok()) ++write_failures;
    }
    writing = false;
  });
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      uint64_t last_total = 0;
      // Bounded: at most 2,000 requests per client.
      for (int n = 0; n < 2000 && writing; ++n) {
        auto r = Get(server.port(), "/events?limit=5&city=prague");
        ++requests;
        if (r.status != 200) {
          ++failures;
          continue;
        }
        const uint64_t total = r.json()["total"];
        if (total < last_total) ++failures;  // a reader never goes back in time
        last_total = total;
      }
    });
  }
  ingest.join();
  for (auto& t : clients) t.join();
  CHECK(write_failures == 0);
  CHECK(failures == 0);
  CHECK(requests > 0);
  // Once the writer is done, a reader catches up within a few refreshes.
  uint64_t total = 0;
  for (int tries = 0; tries < 250 && total != kArticles; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    total = Get(server.port(), "/events?limit=1").json()["total"];
  }
  CHECK(total == kArticles);
}

TEST_CASE("twinwatch serve answers while twinwatch ingest writes the same store from another process") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "a/one.txt", "Oslo news\n\nOslo signed a sister-city agreement with Kyiv in 2022.\n");
  tw::test::WriteFile(dir / "b/two.txt", "Tartu news\n\nTartu, Estonia, ended its twin-town agreement with Pskov in November 2023.\n");
  REQUIRE(tw::test::RunTwinwatch({"ingest", "--db", dir / "db", dir / "a"}).exit_code == 0);

  tw::test::RunningTwinwatch serve({"serve", "--db", dir / "db", "--listen", "127.0.0.1:0", "--refresh-ms", "50"});
  int port = 0;
  for (int tries = 0; tries < 500 && port == 0; ++tries) {
    const std::string err = serve.StderrSoFar();
    const size_t at = err.find("http://127.0.0.1:");
    if (at != std::string::npos) port = std::atoi(err.c_str() + at + 17);
    else std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(port > 0);
  CHECK(Get(port, "/events").json()["total"] == 1);

  // A second process writes while serve runs; serve is a reader and holds no lock.
  auto second = tw::test::RunTwinwatch({"ingest", "--db", dir / "db", dir / "b"});
  CHECK(second.exit_code == 0);
  uint64_t total = 0;
  for (int tries = 0; tries < 200 && total != 2; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    total = Get(port, "/events").json()["total"];
  }
  CHECK(total == 2);
  CHECK(Get(port, "/events?type=termination").json()["events"][0]["cities"][0]["name"] == "Tartu");

  REQUIRE(::kill(serve.pid(), SIGTERM) == 0);
  auto r = serve.Wait();
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("serve: stopped"));
}

TEST_CASE("serve --listen takes HOST:PORT and says what is wrong with anything else") {
  std::string host;
  int port = 0;
  REQUIRE(ParseListenAddress("--listen", "127.0.0.1:8080", &host, &port).ok());
  CHECK(host == "127.0.0.1");
  CHECK(port == 8080);
  REQUIRE(ParseListenAddress("--listen", "[::1]:0", &host, &port).ok());
  CHECK(host == "::1");
  for (const char* bad : {"8080", ":8080", "localhost:", "localhost:99999", "host:12ab"}) {
    auto st = ParseListenAddress("--listen", bad, &host, &port);
    CHECK_FALSE(st.ok());
    CHECK_THAT(st.message(), Catch::Contains("--listen"));
  }
  CHECK(IsLoopbackHost("127.0.0.1"));
  CHECK(IsLoopbackHost("::1"));
  CHECK_FALSE(IsLoopbackHost("0.0.0.0"));
  auto r = tw::test::RunTwinwatch({"serve", "--db", "/nonexistent/db", "--listen", "nonsense"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--listen 'nonsense' is not HOST:PORT"));
}
