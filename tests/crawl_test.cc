// The crawler end to end against local servers on 127.0.0.1: discovery, politeness, conditional
// GET, safety limits, retries, state. Virtual host names map to 127.0.0.1 through the sources
// file's `resolve` list (CURLOPT_RESOLVE), never through DNS.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <tuple>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/crawl.h"
#include "pipeline/fetcher.h"
#include "pipeline/sources.h"
#include "storage/store.h"
#include "tests/http2_server.h"
#include "tests/local_server.h"
#include "tests/test_util.h"

using tw::test::LocalServer;
using tw::test::TempDir;

namespace {

const tw::Extractor& SharedExtractor() {
  static auto extractor = tw::Extractor::Open(tw::ExtractorOptions{});
  REQUIRE(extractor.ok());
  return **extractor;
}

// A distinct news page per number, so no two are duplicates of each other.
std::string Story(int n) {
  return tw::test::NewsPage("Story " + std::to_string(n),
                            {"Report number " + std::to_string(n) + " from the city desk about the harbour budget.",
                             "Council members discussed item " + std::to_string(n * 7919) + " at length on Monday."});
}

void ServeStories(LocalServer& server, const std::string& pattern = R"(/news/(\d+)\.html)") {
  server.http().Get(pattern, [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(Story(std::stoi(req.matches[1])), "text/html; charset=utf-8");
  });
}

std::string Rss(const std::vector<std::string>& links) {
  std::string xml = R"(<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>)";
  for (const auto& l : links) xml += "<item><title>x</title><link>" + l + "</link></item>";
  return xml + "</channel></rss>";
}

struct Settings {
  std::string per_host_delay = "0s";
  bool allow_private = true;
  int max_attempts = 3;
  std::string timeout = "10s";
  std::vector<std::string> resolve;
  std::string ca_file;
};

std::string CrawlerTable(const Settings& s) {
  std::string t = "[crawler]\nuser_agent = \"twinwatch-test/1.0 (+https://example.org)\"\nconcurrency = 8\n";
  t += "per_host_delay = \"" + s.per_host_delay + "\"\n";
  t += std::string("allow_private = ") + (s.allow_private ? "true" : "false") + "\n";
  t += "max_attempts = " + std::to_string(s.max_attempts) + "\n";
  t += "retry_backoff = \"50ms\"\ntimeout = \"" + s.timeout + "\"\nconnect_timeout = \"2s\"\n";
  if (!s.resolve.empty()) {
    t += "resolve = [";
    for (const auto& r : s.resolve) t += "\"" + r + "\", ";
    t += "]\n";
  }
  if (!s.ca_file.empty()) t += "ca_file = \"" + s.ca_file + "\"\n";
  return t;
}

std::string Source(const std::string& name, const std::string& key, const std::string& url, const std::string& extra = "") {
  return "[[source]]\nname = \"" + name + "\"\n" + key + " = \"" + url + "\"\nevery = \"1ms\"\n" + extra;
}

// A store directory and a sources file, crawled in-process one pass at a time.
struct Crawl {
  TempDir dir;

  tw::CrawlTotals Run(const std::string& sources_toml) {
    tw::test::WriteFile(dir / "sources.toml", sources_toml);
    auto sources = tw::LoadSourcesFile(dir / "sources.toml");
    REQUIRE(sources.ok());
    auto store = tw::Store::Open(dir / "db");
    REQUIRE(store.ok());
    tw::Cleaner cleaner;
    tw::CrawlOptions options;
    options.once = true;
    options.line.cleaner_workers = 1;
    options.line.extractor_workers = 1;
    return tw::RunCrawl(*sources, cleaner, SharedExtractor(), **store, options, nullptr);
  }

  std::unique_ptr<tw::Store> Open() {
    auto store = tw::Store::Open(dir / "db");
    REQUIRE(store.ok());
    return std::move(*store);
  }
  bool Stored(const std::string& url) {
    auto has = Open()->HasArticleUrl(url);
    REQUIRE(has.ok());
    return *has;
  }
  uint64_t Articles() { return Open()->Counts()->articles; }
  tw::CrawlState State(const std::string& url) {
    auto got = Open()->GetCrawlState(tw::CrawlScope::kUrl, url);
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    return **got;
  }
};

double SecondsBetween(const LocalServer::Hit& a, const LocalServer::Hit& b) {
  return std::chrono::duration<double>(b.at - a.at).count();
}

}  // namespace

TEST_CASE("crawl: an RSS feed's articles are fetched, canonicalised and stored, over kept-alive connections") {
  LocalServer server;
  ServeStories(server);
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/news/1.html?utm_source=rss", "news/2.html#comments", "/news/3.html", "/news/1.html"}),
                    "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.sources_crawled == 1);
  CHECK(totals.discovered == 3);
  CHECK(totals.fetched == 3);
  CHECK(totals.failed == 0);
  CHECK(totals.line.stored == 3);
  CHECK(crawl.Stored(server.Url("/news/1.html")));
  CHECK(crawl.Stored(server.Url("/news/2.html")));
  CHECK(crawl.Stored(server.Url("/news/3.html")));
  CHECK(crawl.Articles() == 3);
  CHECK(server.CountOf("/news/1.html") == 1);
  CHECK(server.CountOf("/robots.txt") == 1);
  // robots.txt, feed and three articles to one host: one connection kept alive would do.
  CHECK(totals.requests == 5);
  CHECK(totals.connections < totals.requests);
  // Every encoding libcurl can undo is offered (each is tested in the next test case).
  for (const auto& hit : server.Hits()) CHECK_THAT(hit.headers.at("accept-encoding"), Catch::Contains("br") && Catch::Contains("gzip"));
  CHECK_THAT(crawl.Open()->GetArticle(tw::ArticleIdForUrl(server.Url("/news/2.html"))).value().article.text, Catch::Contains("Report number 2 from"));

  SECTION("a second pass fetches no stored article again") {
    auto again = crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
    CHECK(again.already_stored == 3);
    CHECK(again.fetched == 0);
    CHECK(server.CountOf("/feed.xml") == 2);
    CHECK(server.CountOf("/news/1.html") == 1);
    CHECK(server.CountOf("/news/2.html") == 1);
    CHECK(server.CountOf("/robots.txt") == 1);  // cached for 24 h in the store
  }
}

TEST_CASE("crawl: gzip, deflate, brotli and zstd content encodings are decoded before the line sees the page") {
  LocalServer server;
  server.http().Get("/gzip.html", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    LocalServer::RawResponse(res, tw::test::GzipCompress(Story(70)), "text/html");
  });
  // Encoded here, on the test's thread: Catch2's assertions are not thread-safe, and the handlers
  // run on the server's threads.
  const std::string deflate_page = Story(71), br_page = Story(72), zstd_page = Story(73);
  uLongf zlib_size = compressBound(deflate_page.size());
  std::string zlib(zlib_size, '\0');  // HTTP's "deflate" is the zlib format (RFC 1950)
  REQUIRE(compress2(reinterpret_cast<Bytef*>(zlib.data()), &zlib_size, reinterpret_cast<const Bytef*>(deflate_page.data()),
                    deflate_page.size(), 6) == Z_OK);
  zlib.resize(zlib_size);
  size_t br_size = BrotliEncoderMaxCompressedSize(br_page.size());
  std::string br(br_size, '\0');
  REQUIRE(BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, br_page.size(),
                                reinterpret_cast<const uint8_t*>(br_page.data()), &br_size, reinterpret_cast<uint8_t*>(br.data())));
  br.resize(br_size);
  std::string zst(ZSTD_compressBound(zstd_page.size()), '\0');
  const size_t zst_size = ZSTD_compress(zst.data(), zst.size(), zstd_page.data(), zstd_page.size(), 3);
  REQUIRE_FALSE(ZSTD_isError(zst_size));
  zst.resize(zst_size);
  for (const auto& [path, encoding, body] : {std::tuple{"/deflate.html", "deflate", zlib}, std::tuple{"/br.html", "br", br},
                                             std::tuple{"/zstd.html", "zstd", zst}}) {
    server.http().Get(path, [encoding = std::string(encoding), body = body](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Encoding", encoding);
      LocalServer::RawResponse(res, body, "text/html");
    });
  }
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/gzip.html", "/deflate.html", "/br.html", "/zstd.html"}), "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.fetched == 4);
  CHECK(totals.line.stored == 4);
  auto store = crawl.Open();
  CHECK_THAT(store->GetArticle(tw::ArticleIdForUrl(server.Url("/gzip.html"))).value().article.text, Catch::Contains("Report number 70 from"));
  CHECK_THAT(store->GetArticle(tw::ArticleIdForUrl(server.Url("/deflate.html"))).value().article.text, Catch::Contains("Report number 71 from"));
  CHECK_THAT(store->GetArticle(tw::ArticleIdForUrl(server.Url("/br.html"))).value().article.text, Catch::Contains("Report number 72 from"));
  CHECK_THAT(store->GetArticle(tw::ArticleIdForUrl(server.Url("/zstd.html"))).value().article.text, Catch::Contains("Report number 73 from"));
}

TEST_CASE("crawl: an Atom feed's entries are fetched") {
  LocalServer server;
  ServeStories(server);
  server.http().Get("/atom", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"(<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/news/"><title>t</title>
      <entry><link rel="alternate" href="4.html"/></entry><entry><link href="5.html"/></entry></feed>)",
                    "application/atom+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("atom", "feed", server.Url("/atom")));
  CHECK(totals.fetched == 2);
  CHECK(crawl.Stored(server.Url("/news/4.html")));
  CHECK(crawl.Stored(server.Url("/news/5.html")));
}

TEST_CASE("crawl: a sitemap index is followed into its sitemaps, gzipped ones too, and a news sitemap") {
  LocalServer server;
  ServeStories(server);
  const std::string base = server.Url("");
  server.http().Get("/sitemap.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"(<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>/sitemap-news.xml</loc></sitemap><sitemap><loc>/sitemap-old.xml.gz</loc></sitemap></sitemapindex>)",
                    "application/xml");
  });
  server.http().Get("/sitemap-news.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"(<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>/news/10.html</loc><news:news><news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-05-01</news:publication_date><news:title>T</news:title></news:news></url></urlset>)",
                    "application/xml");
  });
  server.http().Get("/sitemap-old.xml.gz", [](const httplib::Request&, httplib::Response& res) {
    LocalServer::RawResponse(res, tw::test::GzipCompress(R"(<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>/news/11.html</loc></url><url><loc>/news/12.html</loc></url></urlset>)"),
                             "application/gzip");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("maps", "sitemap", server.Url("/sitemap.xml")));
  CHECK(totals.fetched == 3);
  CHECK(totals.failed == 0);
  for (int n : {10, 11, 12}) CHECK(crawl.Stored(server.Url("/news/" + std::to_string(n) + ".html")));
}

TEST_CASE("crawl: a listing page yields the links that match its pattern") {
  LocalServer server;
  ServeStories(server, R"(/press/\d{4}/(\d+)\.html)");
  server.http().Get("/press/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"(<html><body><a href="/">Home</a><a href="/press/about.html">About</a>
      <a href="2024/20.html">One</a> <a href="/press/2023/21.html">Two</a></body></html>)",
                    "text/html");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("press", "page", server.Url("/press/"), "links = \"/press/\\\\d{4}/\"\n"));
  CHECK(totals.fetched == 2);
  CHECK(crawl.Stored(server.Url("/press/2024/20.html")));
  CHECK(crawl.Stored(server.Url("/press/2023/21.html")));
  CHECK(server.CountOf("/press/about.html") == 0);
}

TEST_CASE("crawl: robots.txt is obeyed for our product token, with its Crawl-delay, and cached") {
  LocalServer server;
  ServeStories(server, R"(/\w+/(\d+)\.html)");
  server.http().Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("User-agent: *\nDisallow: /news/\n\nUser-agent: twinwatch-test\nDisallow: /secret/\nCrawl-delay: 0.2\n",
                    "text/plain");
  });
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/news/1.html", "/secret/2.html", "/private/3.html"}), "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.disallowed == 1);
  CHECK(totals.fetched == 2);
  CHECK(server.CountOf("/secret/2.html") == 0);
  CHECK(crawl.Stored(server.Url("/news/1.html")));    // the '*' group does not apply to us
  CHECK(crawl.Stored(server.Url("/private/3.html")));
  CHECK_THAT(crawl.State(server.Url("/secret/2.html")).last_error, Catch::Contains("disallowed by robots.txt"));
  const auto hits = server.Hits();
  for (size_t i = 1; i < hits.size(); ++i) CHECK(SecondsBetween(hits[i - 1], hits[i]) >= 0.2);
  crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(server.CountOf("/robots.txt") == 1);
}

TEST_CASE("crawl: one request in flight per host, per_host_delay between them, hosts in parallel") {
  LocalServer server;
  std::mutex mu;
  std::map<std::string, int> in_flight, most;
  server.http().Get(R"(/news/(\d+)\.html)", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string host = req.get_header_value("Host");
    {
      std::lock_guard lock(mu);
      most[host] = std::max(most[host], ++in_flight[host]);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    {
      std::lock_guard lock(mu);
      --in_flight[host];
    }
    res.set_content(Story(std::stoi(req.matches[1])), "text/html");
  });
  server.Start();
  const std::string p = std::to_string(server.port());
  auto url = [&](const std::string& host, int n) { return "http://" + host + ":" + p + "/news/" + std::to_string(n) + ".html"; };
  TempDir feeds;
  tw::test::WriteFile(feeds / "feed.xml", Rss({url("a.test", 1), url("a.test", 2), url("a.test", 3), url("b.test", 4),
                                               url("b.test", 5), url("b.test", 6)}));
  Settings s;
  s.per_host_delay = "300ms";
  s.resolve = {"a.test:" + p + ":127.0.0.1", "b.test:" + p + ":127.0.0.1"};
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable(s) + Source("two-hosts", "feed", "file://" + feeds.path() + "/feed.xml"));
  CHECK(totals.fetched == 6);
  CHECK(most["a.test:" + p] == 1);
  CHECK(most["b.test:" + p] == 1);
  std::map<std::string, std::vector<LocalServer::Hit>> by_host;
  for (const auto& hit : server.Hits()) by_host[hit.host].push_back(hit);
  REQUIRE(by_host["a.test"].size() == 4);  // robots.txt and three articles
  REQUIRE(by_host["b.test"].size() == 4);
  for (const auto& [host, hits] : by_host) {
    for (size_t i = 1; i < hits.size(); ++i) {
      INFO(host << " request " << i);
      CHECK(SecondsBetween(hits[i - 1], hits[i]) >= 0.3);
    }
  }
  // The two hosts were crawled side by side, not one after the other.
  const auto& a = by_host["a.test"];
  const auto& b = by_host["b.test"];
  CHECK(b.front().at < a.back().at);
  CHECK(a.front().at < b.back().at);
}

TEST_CASE("crawl: a feed is fetched again with a conditional GET and a 304 costs nothing") {
  LocalServer server;
  ServeStories(server);
  server.http().Get("/etag.xml", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"v1\"") {
      res.status = 304;
      return;
    }
    res.set_header("ETag", "\"v1\"");
    res.set_content(Rss({"/news/1.html"}), "application/rss+xml");
  });
  server.http().Get("/dated.xml", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-Modified-Since") == "Wed, 05 Jul 2023 10:00:00 GMT") {
      res.status = 304;
      return;
    }
    res.set_header("Last-Modified", "Wed, 05 Jul 2023 10:00:00 GMT");
    res.set_content(Rss({"/news/2.html"}), "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  const std::string sources = CrawlerTable({}) + Source("etag", "feed", server.Url("/etag.xml")) +
                              Source("dated", "feed", server.Url("/dated.xml"));
  auto first = crawl.Run(sources);
  CHECK(first.fetched == 2);
  CHECK(first.not_modified == 0);
  CHECK(crawl.State(server.Url("/etag.xml")).etag == "\"v1\"");
  auto second = crawl.Run(sources);
  CHECK(second.not_modified == 2);
  CHECK(second.fetched == 0);
  CHECK(second.sources_crawled == 2);
  const auto hits = server.Hits();
  CHECK(std::any_of(hits.begin(), hits.end(), [](const LocalServer::Hit& h) { return h.headers.count("if-none-match"); }));
  CHECK(std::any_of(hits.begin(), hits.end(), [](const LocalServer::Hit& h) { return h.headers.count("if-modified-since"); }));
}

TEST_CASE("crawl: redirects are followed up to five, loops are caught, and the article keeps its discovered URL") {
  LocalServer server;
  ServeStories(server);
  server.http().Get("/moved", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/news/9.html", 301); });
  server.http().Get("/loop/a", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop/b", 302); });
  server.http().Get("/loop/b", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop/a", 302); });
  server.http().Get(R"(/hop/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_redirect("/hop/" + std::to_string(std::stoi(req.matches[1]) + 1), 302);
  });
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/moved", "/loop/a", "/hop/1"}), "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.fetched == 1);
  CHECK(totals.failed == 2);
  CHECK(crawl.Stored(server.Url("/moved")));
  CHECK_THAT(crawl.State(server.Url("/loop/a")).last_error, Catch::Contains("redirect loop") && Catch::Contains("/loop/b"));
  CHECK(server.CountOf("/loop/a") == 1);
  CHECK(server.CountOf("/loop/b") == 1);
  CHECK_THAT(crawl.State(server.Url("/hop/1")).last_error, Catch::Contains("more than 5 redirects"));
  CHECK(server.CountOf("/hop/6") == 1);
  CHECK(server.CountOf("/hop/7") == 0);
}

TEST_CASE("crawl: a slow server hits the timeout, and the failure is recorded") {
  LocalServer server;
  server.http().Get("/slow.html", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content(Story(1), "text/html");
  });
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/slow.html"}), "application/rss+xml");
  });
  server.Start();
  Settings s;
  s.timeout = "400ms";
  s.max_attempts = 1;
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable(s) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.failed == 1);
  CHECK(totals.fetched == 0);
  const auto state = crawl.State(server.Url("/slow.html"));
  CHECK_THAT(state.last_error, Catch::Contains("timed out"));
  CHECK(state.failures == 1);
  CHECK_FALSE(state.pending);
}

TEST_CASE("crawl: a 500 is retried with backoff until it succeeds, and a 404 is not retried") {
  LocalServer server;
  ServeStories(server);
  std::atomic<int> calls{0};
  server.http().Get("/flaky.html", [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) {
      res.status = 500;
      res.set_content("oops", "text/plain");
      return;
    }
    res.set_content(Story(30), "text/html");
  });
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/flaky.html", "/gone.html"}), "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.retries == 1);
  CHECK(totals.fetched == 1);
  CHECK(totals.failed == 1);
  CHECK(crawl.Stored(server.Url("/flaky.html")));
  CHECK(server.CountOf("/flaky.html") == 2);
  CHECK(crawl.State(server.Url("/flaky.html")).failures == 0);
  CHECK(server.CountOf("/gone.html") == 1);
  const auto gone = crawl.State(server.Url("/gone.html"));
  CHECK(gone.http_status == 404);
  CHECK(gone.failures == 1);
  CHECK_THAT(gone.last_error, Catch::Contains("HTTP 404"));
  CHECK_FALSE(gone.pending);
  crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(server.CountOf("/gone.html") == 1);
}

TEST_CASE("crawl: a URL failing every time is given up after max_attempts, across runs") {
  LocalServer server;
  server.http().Get("/down.html", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/down.html"}), "application/rss+xml");
  });
  server.Start();
  Settings s;
  s.max_attempts = 2;
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable(s) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.retries == 1);
  CHECK(totals.failed == 1);
  CHECK(server.CountOf("/down.html") == 2);
  const auto state = crawl.State(server.Url("/down.html"));
  CHECK(state.failures == 2);
  CHECK_THAT(state.last_error, Catch::Contains("HTTP 503") && Catch::Contains("gave up after 2 attempts"));
  crawl.Run(CrawlerTable(s) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(server.CountOf("/down.html") == 2);

  // `stats` shows the failure count and last error of the URL, and the source's last crawl.
  auto stats = tw::test::RunTwinwatch({"stats", "--db", crawl.dir / "db", "--format", "json"});
  REQUIRE(stats.exit_code == 0);
  const auto j = nlohmann::json::parse(stats.out);
  REQUIRE(j["crawl"]["failing"].size() == 1);
  CHECK(j["crawl"]["failing"][0]["url"] == server.Url("/down.html"));
  CHECK(j["crawl"]["failing"][0]["failures"] == 2);
  CHECK(j["crawl"]["failing"][0]["http_status"] == 503);
  CHECK(j["crawl"]["failing"][0]["retrying"] == false);
  CHECK_THAT(j["crawl"]["failing"][0]["last_error"].get<std::string>(), Catch::Contains("gave up after 2 attempts"));
  REQUIRE(j["crawl"]["sources"].size() == 1);
  CHECK(j["crawl"]["sources"][0]["name"] == "rss");
  CHECK(j["crawl"]["sources"][0]["last_crawl"].is_string());
  auto table = tw::test::RunTwinwatch({"stats", "--db", crawl.dir / "db", "--format", "table"});
  CHECK_THAT(table.out, Catch::Contains("failed 2x: " + server.Url("/down.html") + ": HTTP 503"));
}

TEST_CASE("crawl: a source whose feed keeps failing is not given up: each round tries it again") {
  LocalServer server;
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  server.Start();
  Settings s;
  s.max_attempts = 2;
  Crawl crawl;
  auto first = crawl.Run(CrawlerTable(s) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(first.retries == 1);
  CHECK(first.failed == 1);
  CHECK(server.CountOf("/feed.xml") == 2);
  auto second = crawl.Run(CrawlerTable(s) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(second.retries == 1);
  CHECK(server.CountOf("/feed.xml") == 4);
  auto source = crawl.Open()->GetCrawlState(tw::CrawlScope::kSource, "rss");
  REQUIRE(source.ok());
  REQUIRE(source->has_value());
  CHECK((*source)->failures == 4);
  CHECK((*source)->http_status == 503);
  CHECK_THAT((*source)->last_error, Catch::Contains("HTTP 503"));
}

TEST_CASE("crawl: 429 with Retry-After holds the URL and its host back that long") {
  LocalServer server;
  ServeStories(server);
  std::atomic<int> calls{0};
  server.http().Get("/busy.html", [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content(Story(40), "text/html");
  });
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/busy.html", "/news/41.html"}), "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.fetched == 2);
  CHECK(crawl.Stored(server.Url("/busy.html")));
  std::vector<LocalServer::Hit> busy, other;
  for (const auto& h : server.Hits()) {
    if (h.path == "/busy.html") busy.push_back(h);
    if (h.path == "/news/41.html") other.push_back(h);
  }
  REQUIRE(busy.size() == 2);
  REQUIRE(other.size() == 1);
  CHECK(SecondsBetween(busy[0], busy[1]) >= 1.0);
  CHECK(SecondsBetween(busy[0], other[0]) >= 1.0);
}

TEST_CASE("crawl: size limits stop a gzip bomb and a 50 MiB body, and other content types are skipped") {
  LocalServer server;
  ServeStories(server);
  const std::string bomb = tw::test::GzipCompress(std::string(64u << 20, ' '));
  server.http().Get("/bomb.html", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    LocalServer::RawResponse(res, bomb, "text/html");
  });
  server.http().Get("/huge.html", [](const httplib::Request&, httplib::Response& res) {
    const size_t size = 50u << 20;
    res.set_content_provider(size, "text/html", [](size_t, size_t length, httplib::DataSink& sink) {
      const std::string chunk(std::min<size_t>(length, 1 << 16), 'x');
      sink.write(chunk.data(), chunk.size());
      return true;
    });
  });
  server.http().Get("/photo.html", [](const httplib::Request&, httplib::Response& res) {
    LocalServer::RawResponse(res, std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\0'), "image/png");
  });
  server.http().Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/bomb.html", "/huge.html", "/photo.html", "/news/50.html"}), "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  CHECK(totals.fetched == 1);
  CHECK(totals.failed == 2);
  CHECK(totals.skipped == 1);
  CHECK(crawl.Articles() == 1);
  CHECK_THAT(crawl.State(server.Url("/bomb.html")).last_error, Catch::Contains("over 10 MiB (after decoding)"));
  CHECK_THAT(crawl.State(server.Url("/huge.html")).last_error, Catch::Contains("over 10 MiB"));
  CHECK_THAT(crawl.State(server.Url("/photo.html")).last_error, Catch::Contains("content type image/png"));
  CHECK(server.CountOf("/bomb.html") == 1);  // none of these is retried
  CHECK(server.CountOf("/huge.html") == 1);
  CHECK(server.CountOf("/photo.html") == 1);
}

TEST_CASE("crawl: a sitemap may be 50 MiB, as the protocol allows, though articles stop at 10 MiB") {
  LocalServer server;
  ServeStories(server);
  // Three URLs, then a comment that takes the file over the article cap (and, for the second
  // sitemap, over the protocol's 50 MiB).
  auto sitemap = [](const std::vector<int>& stories, size_t padding) {
    std::string xml = R"(<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">)";
    for (int n : stories) xml += "<url><loc>/news/" + std::to_string(n) + ".html</loc></url>";
    return xml + "<!--" + std::string(padding, '.') + "--></urlset>";
  };
  const std::string big = sitemap({1, 2, 3}, size_t{12} << 20);
  const std::string too_big = sitemap({4, 5}, size_t{51} << 20);
  server.http().Get("/big.xml", [&](const httplib::Request&, httplib::Response& res) {
    LocalServer::RawResponse(res, big, "application/xml");
  });
  server.http().Get("/too-big.xml", [&](const httplib::Request&, httplib::Response& res) {
    LocalServer::RawResponse(res, too_big, "application/xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("big", "sitemap", server.Url("/big.xml")) +
                          Source("too-big", "sitemap", server.Url("/too-big.xml")));
  CHECK(totals.discovered == 3);
  CHECK(totals.line.stored == 3);
  CHECK(crawl.Stored(server.Url("/news/3.html")));
  CHECK_FALSE(crawl.Stored(server.Url("/news/4.html")));
  auto state = crawl.Open()->GetCrawlState(tw::CrawlScope::kSource, "too-big");
  REQUIRE(state.ok());
  REQUIRE(state->has_value());
  CHECK_THAT((*state)->last_error, Catch::Contains("over 50 MiB"));
}

TEST_CASE("crawl: links from a feed to loopback or private addresses are refused unless allow_private") {
  LocalServer server;
  ServeStories(server);
  server.Start();
  const std::string p = std::to_string(server.port());
  TempDir feeds;
  tw::test::WriteFile(feeds / "feed.xml", Rss({server.Url("/news/1.html"), "http://intranet.test:" + p + "/news/2.html"}));
  Settings s;
  s.allow_private = false;
  s.resolve = {"intranet.test:" + p + ":127.0.0.1"};
  const std::string source = Source("local", "feed", "file://" + feeds.path() + "/feed.xml");
  Crawl crawl;
  auto refused = crawl.Run(CrawlerTable(s) + source);
  CHECK(refused.fetched == 0);
  CHECK(refused.failed == 2);
  CHECK(server.Hits().empty());
  const auto state = crawl.State(server.Url("/news/1.html"));
  CHECK_THAT(state.last_error, Catch::Contains("127.0.0.1") && Catch::Contains("loopback") && Catch::Contains("allow_private"));
  CHECK_THAT(crawl.State("http://intranet.test:" + p + "/news/2.html").last_error, Catch::Contains("loopback"));

  Crawl allowed;
  s.allow_private = true;
  auto fetched = allowed.Run(CrawlerTable(s) + source);
  CHECK(fetched.fetched == 2);
}

TEST_CASE("crawl: a file:// feed may name local files, an http feed may not") {
  LocalServer server;
  TempDir local;
  tw::test::WriteFile(local / "story.html", Story(60));
  tw::test::WriteFile(local / "feed.xml", Rss({"story.html"}));
  server.http().Get("/feed.xml", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"file://" + local.path() + "/story.html"}), "application/rss+xml");
  });
  server.Start();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable({}) + Source("web", "feed", server.Url("/feed.xml")) +
                          Source("disk", "feed", "file://" + local.path() + "/feed.xml"));
  CHECK(totals.fetched == 1);
  CHECK(crawl.Stored("file://" + local.path() + "/story.html"));
  CHECK(totals.discovered == 1);
}

TEST_CASE("crawl --once on the samples: the offline feed is crawled, then queried") {
  TempDir dir;
  auto crawl = tw::test::RunTwinwatch({"crawl", "--sources", std::string(TW_SOURCE_DIR) + "/samples/sources.toml",
                                       "--db", dir / "db", "--once"});
  INFO(crawl.err);
  REQUIRE(crawl.exit_code == 0);
  CHECK_THAT(crawl.err, Catch::Contains("6 new links") && Catch::Contains("crawl: 6 read, 6 stored"));
  auto query = tw::test::RunTwinwatch({"query", "--db", dir / "db", "--format", "jsonl", "--city", "Kursk"});
  REQUIRE(query.exit_code == 0);
  CHECK_THAT(query.out, Catch::Contains("\"suspension\"") && Catch::Contains("samples/tampere-kursk-suspension.txt"));
  auto again = tw::test::RunTwinwatch({"crawl", "--sources", std::string(TW_SOURCE_DIR) + "/samples/sources.toml",
                                       "--db", dir / "db", "--once"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("crawl: 0 read"));
}

namespace {

// Starts the twinwatch binary in the background, its output going to files in `dir`.
pid_t SpawnTwinwatch(const std::vector<std::string>& args, const TempDir& dir) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::vector<std::string> copy = args;
    std::string binary = TW_BINARY;
    std::vector<char*> argv{binary.data()};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (!std::freopen((dir / "out").c_str(), "wb", stdout) || !std::freopen((dir / "err").c_str(), "wb", stderr)) ::_exit(127);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

int WaitFor(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Waits (at most a minute) until `done` holds.
void WaitUntil(const std::function<bool()>& done) {
  for (int i = 0; i < 6000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(done());
}

}  // namespace

TEST_CASE("crawl: killed with SIGKILL mid-crawl, the next run stores the rest and fetches nothing stored again") {
  constexpr int kArticles = 60;
  LocalServer server;
  std::atomic<int> served{0};
  server.http().Get(R"(/news/(\d+)\.html)", [&](const httplib::Request& req, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
    res.set_content(Story(std::stoi(req.matches[1])), "text/html");
    ++served;
  });
  server.http().Get("/feed.xml", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"v1\"") {
      res.status = 304;  // the resumed run must not count on seeing the links again
      return;
    }
    std::vector<std::string> links;
    for (int i = 0; i < kArticles; ++i) links.push_back("/news/" + std::to_string(i) + ".html");
    res.set_header("ETag", "\"v1\"");
    res.set_content(Rss(links), "application/rss+xml");
  });
  server.Start();
  TempDir dir;
  tw::test::WriteFile(dir / "sources.toml", CrawlerTable({}) + Source("rss", "feed", server.Url("/feed.xml")));
  const std::vector<std::string> args = {"crawl", "--sources", dir / "sources.toml", "--db", dir / "db", "--once", "-j", "1"};

  const pid_t first = SpawnTwinwatch(args, dir);
  WaitUntil([&] { return served.load() >= 20; });
  ::kill(first, SIGKILL);
  REQUIRE(WaitFor(first) == 128 + SIGKILL);
  const int served_before_kill = served.load();
  INFO("served before the kill: " << served_before_kill);
  REQUIRE(served_before_kill < kArticles);

  std::vector<std::string> stored_before;
  {
    auto store = tw::Store::Open(dir / "db");
    REQUIRE(store.ok());
    for (int i = 0; i < kArticles; ++i) {
      const std::string url = server.Url("/news/" + std::to_string(i) + ".html");
      if (*(*store)->HasArticleUrl(url)) stored_before.push_back(url);
    }
  }
  CHECK(stored_before.size() >= 10);

  auto resumed = tw::test::RunTwinwatch(args);
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
  CHECK_THAT(resumed.err, Catch::Contains("resuming"));
  auto store = tw::Store::Open(dir / "db");
  REQUIRE(store.ok());
  CHECK((*store)->Counts()->articles == kArticles);
  for (int i = 0; i < kArticles; ++i) {
    const std::string path = "/news/" + std::to_string(i) + ".html";
    INFO(path);
    CHECK(*(*store)->HasArticleUrl(server.Url(path)));
    const size_t requests = server.CountOf(path);
    const bool was_stored = std::find(stored_before.begin(), stored_before.end(), server.Url(path)) != stored_before.end();
    CHECK(requests == (was_stored ? 1u : requests));
    CHECK(requests >= 1);
    CHECK(requests <= 2);  // at most once more: fetched but not yet stored when killed
  }
  // Nothing left pending: every URL settled.
  size_t pending = 0;
  REQUIRE((*store)->ForEachCrawlState(tw::CrawlScope::kUrl, [&](const std::string&, const tw::CrawlState& s) {
    pending += s.pending;
    return true;
  }).ok());
  CHECK(pending == 0);
}

TEST_CASE("crawl without --once polls sources on their schedule and stops cleanly on SIGTERM") {
  LocalServer server;
  ServeStories(server);
  server.http().Get("/feed.xml", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(Rss({"/news/1.html", "/news/2.html"}), "application/rss+xml");
  });
  server.Start();
  TempDir dir;
  tw::test::WriteFile(dir / "sources.toml", CrawlerTable({}) + "[[source]]\nname = \"rss\"\nfeed = \"" +
                                                server.Url("/feed.xml") + "\"\nevery = \"1s\"\n");
  const pid_t pid = SpawnTwinwatch({"crawl", "--sources", dir / "sources.toml", "--db", dir / "db", "-j", "1"}, dir);
  WaitUntil([&] { return server.CountOf("/feed.xml") >= 2; });
  ::kill(pid, SIGTERM);
  CHECK(WaitFor(pid) == 0);
  const std::string err = tw::test::ReadFile(dir / "err");
  CHECK_THAT(err, Catch::Contains("SIGTERM") && Catch::Contains("crawl: 2 read, 2 stored"));
  CHECK(server.CountOf("/news/1.html") == 1);
}

TEST_CASE("crawl: --help, a missing --sources and a broken sources file are usage errors (exit 2)") {
  auto help = tw::test::RunTwinwatch({"crawl", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--sources") && Catch::Contains("--once"));
  CHECK(tw::test::RunTwinwatch({"crawl", "--once"}).exit_code == 2);
  TempDir dir;
  tw::test::WriteFile(dir / "bad.toml", "[crawler]\nconcurrency = \"many\"\n[[source]]\nname = \"x\"\nfeed = \"http://x/\"\n");
  auto bad = tw::test::RunTwinwatch({"crawl", "--sources", dir / "bad.toml", "--db", dir / "db", "--once"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("bad.toml:2") && Catch::Contains("concurrency must be an integer"));
}

namespace {

// The HTTP/2 server, or a skip (a failure under CI=true, where install-deps.sh must have put it).
bool Http2ServerUp(const tw::test::Http2Server& server) {
  if (server.available()) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") FAIL(server.error());
  WARN("skipped: " + server.error());
  return false;
}

tw::FetchRequest ArticleRequest(uint64_t tag, const std::string& url) {
  tw::FetchRequest r;
  r.tag = tag;
  r.url = url;
  r.article = true;
  return r;
}

}  // namespace

TEST_CASE("fetcher: a server offering HTTP/2 over TLS gets HTTP/2, with every request on one connection") {
  tw::test::Http2Server server("h2.twinwatch.test");
  if (!Http2ServerUp(server)) return;
  for (int n = 1; n <= 8; ++n) tw::test::WriteFile(server.DocPath("story" + std::to_string(n) + ".html"), Story(n));
  tw::FetcherOptions options;
  options.user_agent = "twinwatch-test/1.0";
  options.allow_private = true;
  options.resolve = {server.ResolveEntry()};

  SECTION("trusted through ca_file: eight transfers in flight at once, multiplexed") {
    options.ca_file = server.CertFile();
    tw::Fetcher fetcher(options);
    for (int n = 1; n <= 8; ++n) {
      fetcher.Start(ArticleRequest(n, server.Url("/story" + std::to_string(n) + ".html")));
    }
    std::vector<tw::FetchResult> done;
    for (int i = 0; i < 600 && done.size() < 8; ++i) {
      for (auto& r : fetcher.Poll(50)) done.push_back(std::move(r));
    }
    REQUIRE(done.size() == 8);
    for (const auto& r : done) {
      INFO(r.url << ": " << r.message);
      CHECK(r.error == tw::FetchError::kNone);
      CHECK(r.http_status == 200);
      CHECK(r.http_version == 2);
      CHECK(r.content_type == "text/html");
      CHECK_THAT(r.body, Catch::Contains("Report number " + std::to_string(r.tag) + " from"));
    }
    CHECK(fetcher.connections_opened() == 1);
  }

  SECTION("without ca_file the self-signed certificate is refused, and the message says what to do") {
    tw::Fetcher fetcher(options);
    fetcher.Start(ArticleRequest(1, server.Url("/story1.html")));
    std::vector<tw::FetchResult> done;
    for (int i = 0; i < 600 && done.empty(); ++i) done = fetcher.Poll(50);
    REQUIRE(done.size() == 1);
    CHECK(done[0].error == tw::FetchError::kNetwork);
    CHECK(done[0].body.empty());
    CHECK_THAT(done[0].message, Catch::StartsWith(server.Url("/story1.html")) && Catch::Contains("ca_file"));
  }
}

TEST_CASE("crawl: a feed and its articles on an HTTP/2 server are crawled over HTTP/2") {
  tw::test::Http2Server server("news.h2.twinwatch.test");
  if (!Http2ServerUp(server)) return;
  std::vector<std::string> links;
  for (int n = 1; n <= 3; ++n) {
    tw::test::WriteFile(server.DocPath("story" + std::to_string(n) + ".html"), Story(n));
    links.push_back(server.Url("/story" + std::to_string(n) + ".html"));
  }
  tw::test::WriteFile(server.DocPath("feed.xml"), Rss(links));
  Settings settings;
  settings.resolve = {server.ResolveEntry()};
  settings.ca_file = server.CertFile();
  Crawl crawl;
  auto totals = crawl.Run(CrawlerTable(settings) + Source("h2", "feed", server.Url("/feed.xml")));
  CHECK(totals.failed == 0);
  CHECK(totals.fetched == 3);
  CHECK(totals.line.stored == 3);
  CHECK(crawl.Stored(links[2]));
  // robots.txt (a 404 here: everything allowed), the feed and three articles, all in HTTP/2.
  CHECK(totals.requests == 5);
  CHECK(totals.http2_responses == totals.requests);
  CHECK(totals.connections < totals.requests);
}
