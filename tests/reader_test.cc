#include <catch2/catch.hpp>

#include <algorithm>

#include "pipeline/gzip.h"
#include "pipeline/reader.h"
#include "pipeline/warc.h"
#include "tests/test_util.h"

using namespace tw;
using tw::test::TempDir;
using tw::test::WriteFile;

namespace {

std::string WarcRecordText(const std::string& type, const std::string& uri, const std::string& block,
                           const std::string& content_type = "application/http; msgtype=response") {
  return "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri +
         "\r\nWARC-Date: 2023-07-05T10:00:00Z\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
}

std::string HttpResponse(const std::string& body, const std::string& content_type = "text/html; charset=utf-8") {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

struct Collected {
  std::vector<RawDoc> docs;
  std::vector<Status> errors;
  ReaderTotals totals;
};

Collected ReadAllFrom(const std::vector<std::string>& paths, ReaderOptions options = {}) {
  Collected c;
  DocumentReader reader(options);
  c.totals = reader.Read(
      paths,
      [&](RawDoc& d) {
        c.docs.push_back(d);
        return true;
      },
      [&](const Status& st) { c.errors.push_back(st); });
  return c;
}

}  // namespace

TEST_CASE("reader walks a folder recursively in name order and skips unknown file types") {
  TempDir dir;
  WriteFile(dir / "b.html", "<p>b</p>");
  WriteFile(dir / "a.txt", "a text");
  WriteFile(dir / "sub/c.htm", "<p>c</p>");
  WriteFile(dir / "notes.pdf", "%PDF-1.4");
  WriteFile(dir / "image.png", "\x89PNG");
  auto c = ReadAllFrom({dir.path()});
  REQUIRE(c.errors.empty());
  REQUIRE(c.docs.size() == 3);
  CHECK(c.docs[0].origin == dir / "a.txt");
  CHECK(c.docs[0].content_type == "text/plain");
  CHECK(c.docs[1].origin == dir / "b.html");
  CHECK(c.docs[1].content_type == "text/html");
  CHECK(c.docs[2].origin == dir / "sub/c.htm");
  CHECK(c.docs[0].url == "file://" + dir / "a.txt");
  CHECK(c.totals.documents == 3);
}

TEST_CASE("reader gunzips .html.gz files") {
  TempDir dir;
  const std::string html = "<html><body><p>Gzipped page</p></body></html>";
  WriteFile(dir / "page.html.gz", tw::test::GzipCompress(html));
  auto c = ReadAllFrom({dir / "page.html.gz"});
  REQUIRE(c.errors.empty());
  REQUIRE(c.docs.size() == 1);
  CHECK(c.docs[0].bytes == html);
  CHECK(c.docs[0].content_type == "text/html");
}

TEST_CASE("a truncated .gz file is an error naming the file, and reading goes on") {
  TempDir dir;
  std::string gz = tw::test::GzipCompress(std::string(5000, 'x') + "<p>end</p>");
  WriteFile(dir / "a-broken.html.gz", gz.substr(0, gz.size() / 2));
  WriteFile(dir / "b-fine.html", "<p>fine</p>");
  auto c = ReadAllFrom({dir.path()});
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].code() == Status::Code::kCorruption);
  CHECK_THAT(c.errors[0].message(), Catch::Contains("a-broken.html.gz"));
  CHECK_THAT(c.errors[0].message(), Catch::Contains("truncated"));
  REQUIRE(c.docs.size() == 1);
  CHECK(c.docs[0].bytes == "<p>fine</p>");
}

TEST_CASE("reader yields the HTTP bodies of WARC response records, plain and gzipped per record") {
  TempDir dir;
  std::string records = WarcRecordText("warcinfo", "", "software: test", "application/warc-fields") +
                        WarcRecordText("request", "http://news.example/a", "GET /a HTTP/1.1\r\n\r\n", "application/http; msgtype=request") +
                        WarcRecordText("response", "http://news.example/a", HttpResponse("<p>Article A</p>")) +
                        WarcRecordText("response", "http://news.example/img", HttpResponse("\x89PNG", "image/png")) +
                        WarcRecordText("response", "http://news.example/b", HttpResponse("<p>Article B</p>", "text/html; charset=ISO-8859-1"));
  WriteFile(dir / "crawl.warc", records);
  // .warc.gz: every record its own gzip member, as web archives write them.
  std::string gz;
  gz += tw::test::GzipCompress(WarcRecordText("response", "http://news.example/c", HttpResponse("<p>Article C</p>")));
  gz += tw::test::GzipCompress(WarcRecordText("response", "http://news.example/d", HttpResponse("<p>Article D</p>")));
  WriteFile(dir / "crawl2.warc.gz", gz);

  auto c = ReadAllFrom({dir / "crawl.warc", dir / "crawl2.warc.gz"});
  REQUIRE(c.errors.empty());
  REQUIRE(c.docs.size() == 4);
  CHECK(c.docs[0].url == "http://news.example/a");
  CHECK(c.docs[0].bytes == "<p>Article A</p>");
  CHECK(c.docs[0].fetch_time == ParseWarcDate("2023-07-05T10:00:00Z"));
  CHECK(c.docs[1].url == "http://news.example/b");
  CHECK(c.docs[1].charset == "ISO-8859-1");
  CHECK(c.docs[2].bytes == "<p>Article C</p>");
  CHECK(c.docs[3].url == "http://news.example/d");
  CHECK(c.totals.inputs == 2);
}

TEST_CASE("a truncated WARC record and a corrupt one are errors naming file and record") {
  TempDir dir;
  std::string good = WarcRecordText("response", "http://x/1", HttpResponse("<p>one</p>"));
  std::string second = WarcRecordText("response", "http://x/2", HttpResponse("<p>two</p>"));
  WriteFile(dir / "truncated.warc", good + second.substr(0, second.size() - 20));
  WriteFile(dir / "corrupt.warc", good + "this is not a WARC header\r\n\r\n" + second);

  auto t = ReadAllFrom({dir / "truncated.warc"});
  REQUIRE(t.docs.size() == 1);
  REQUIRE(t.errors.size() == 1);
  CHECK_THAT(t.errors[0].message(), Catch::Contains("truncated.warc: record 1"));
  CHECK_THAT(t.errors[0].message(), Catch::Contains("truncated"));

  auto k = ReadAllFrom({dir / "corrupt.warc"});
  REQUIRE(k.docs.size() == 1);
  REQUIRE(k.errors.size() == 1);
  CHECK_THAT(k.errors[0].message(), Catch::Contains("corrupt.warc: record 1"));
  CHECK(k.errors[0].code() == Status::Code::kCorruption);
}

TEST_CASE("a missing path is an error naming it, and documents over the size limit are refused") {
  TempDir dir;
  WriteFile(dir / "big.html", std::string(2 << 20, 'a'));
  ReaderOptions small;
  small.max_document_bytes = 1 << 20;
  auto c = ReadAllFrom({dir / "nope.html", dir / "big.html"}, small);
  REQUIRE(c.errors.size() == 2);
  CHECK(c.errors[0].code() == Status::Code::kNotFound);
  CHECK_THAT(c.errors[0].message(), Catch::Contains("nope.html"));
  CHECK(c.errors[1].code() == Status::Code::kTooLarge);
  CHECK_THAT(c.errors[1].message(), Catch::Contains("big.html"));
  CHECK(c.docs.empty());
  CHECK(c.totals.failed == 2);
}

TEST_CASE("Gunzip stops a gzip bomb at the size limit") {
  std::string bomb = tw::test::GzipCompress(std::string(50 << 20, '\0'));
  CHECK(bomb.size() < 200000);
  auto out = Gunzip(bomb, 1 << 20);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == Status::Code::kTooLarge);
}
