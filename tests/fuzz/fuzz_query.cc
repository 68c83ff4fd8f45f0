// Fuzz target: query parameters, as `serve` receives them (storage/http_api.h) and as `query`
// checks them (storage/filter.h). The input is the query string of GET /events ("city=praha&
// since=2019"), or a whole request target when it starts with '/' ("/events/ab12", "/articles/x").
// It is sent as is, bytes and all, to a real ApiServer on 127.0.0.1 over a small store made at
// start-up, so cpp-httplib's request parsing, our parameter checks and the index scans behind them
// all see it. Every answer must be a 200 or a 4xx with a JSON body; a 200 page holds at most
// `limit` events.
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <stdlib.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "storage/filter.h"
#include "storage/http_api.h"
#include "storage/store.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

tw::Place City(const char* name, const char* country, int64_t geonameid) {
  tw::Place p;
  p.name = name;
  p.country = country;
  p.geonameid = geonameid;
  return p;
}

// An article reporting one event, as the extractor would hand it to the store.
tw::Extraction Report(int n, tw::EventType type, tw::Place a, tw::Place b, const char* date) {
  tw::Extraction x;
  x.article.url = "https://news.example/" + std::to_string(n);
  x.article.id = tw::ArticleIdForUrl(x.article.url);
  x.article.origin = x.article.url;
  x.article.title = {"Report " + std::to_string(n), "fuzz"};
  x.article.text = "Report " + std::to_string(n) + ": " + a.name + " and " + b.name + ".";
  x.article.content_hash = tw::Hash64(x.article.text);
  tw::EventMention e;
  e.type = type;
  e.first = std::move(a);
  e.second = std::move(b);
  e.date = date;
  e.evidence = x.article.text;
  e.rule = "fuzz.rule";
  e.confidence = 0.9;
  x.events.push_back(std::move(e));
  return x;
}

// The store and the server, made once and kept for the whole run (never destroyed: libFuzzer ends
// the process with exit(), and the server thread is still serving then).
struct Server {
  std::unique_ptr<tw::Store> store;
  std::unique_ptr<tw::ApiServer> api;
  std::unique_ptr<httplib::Client> client;
  std::thread thread;
};

Server* Start() {
  char dir[] = "/tmp/twinwatch-fuzz-query-XXXXXX";
  FUZZ_CHECK(::mkdtemp(dir) != nullptr);
  auto* s = new Server;
  auto store = tw::Store::Open(std::string(dir) + "/db");
  FUZZ_CHECK(store.ok());
  s->store = std::move(store.value());
  const tw::Extraction reports[] = {
      Report(1, tw::EventType::kAgreement, City("Lyon", "FR", 2996944), City("Kyōto", "JP", 1857910), "2024-06-27"),
      Report(2, tw::EventType::kTermination, City("Praha", "CZ", 3067696), City("Beijing", "CN", 1816670), "2019-10"),
      Report(3, tw::EventType::kSuspension, City("Tampere", "FI", 634963), City("Kursk", "RU", 538560), ""),
      Report(4, tw::EventType::kProposal, City("Zürich", "CH", 2657896), City("São Paulo", "BR", 3448439), "2020"),
      Report(5, tw::EventType::kAgreement, City("Praha", "CZ", 3067696), City("Taipei", "TW", 1668341), "2020-01-13"),
  };
  for (const auto& x : reports) FUZZ_CHECK(s->store->Put(x).ok());
  tw::ApiOptions options;
  options.max_limit = 50;
  s->api = std::make_unique<tw::ApiServer>(*s->store, options);
  FUZZ_CHECK(s->api->Bind("127.0.0.1", 0).ok());
  s->thread = std::thread([s] { s->api->Run(); });
  s->client = std::make_unique<httplib::Client>("127.0.0.1", s->api->port());
  s->client->set_keep_alive(true);
  s->client->set_url_encode(false);  // the bytes as the fuzzer made them
  // Wait until the server answers.
  for (int i = 0; i < 500 && !s->client->Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Server* server = Start();
  const std::string input = tw::fuzz::Bytes(data, size);

  // The checks `query` applies to its flags, on the raw input.
  std::optional<tw::EventType> type;
  for (const tw::Status& st : {tw::ValidateDateBound("--since", input), tw::ValidateCountry("--country", input),
                               tw::ParseTypeFilter("--type", input, &type)}) {
    if (!st.ok()) FUZZ_CHECK(st.message().find("--") != std::string::npos);  // names the flag
  }
  tw::DateWithin("2019-10", input, input);

  const std::string target = !input.empty() && input[0] == '/' ? input : "/events?" + input;
  auto res = server->client->Get(target);
  if (!res) return 0;  // the server closed a connection over a request it could not parse
  FUZZ_CHECK(res->status == 200 || (res->status >= 400 && res->status < 500));  // a 5xx is our fault
  const auto body = nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!body.is_discarded());
  if (res->status != 200) {
    FUZZ_CHECK(body.contains("error") && body["error"].is_string());
  } else if (body.contains("limit")) {  // a page of /events
    FUZZ_CHECK(body["events"].is_array() && body["limit"].is_number_unsigned() && body["total"].is_number_unsigned());
    FUZZ_CHECK(body["events"].size() <= body["limit"].get<uint64_t>());
    FUZZ_CHECK(body["events"].size() <= body["total"].get<uint64_t>());
  }
  return 0;
}
