#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "pipeline/cleaner.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

RawDoc Html(const std::string& html, const std::string& charset = "") {
  RawDoc d;
  d.url = "file:///tmp/page.html";
  d.origin = "page.html";
  d.content_type = "text/html";
  d.charset = charset;
  d.bytes = html;
  d.fetch_time = 1735689600;  // 2025-01-01
  return d;
}

}  // namespace

TEST_CASE("cleaner keeps the article body and drops navigation, cookie banner, byline and related links") {
  Cleaner cleaner;
  auto a = cleaner.Process(Html(tw::test::NewsPage(
      "Ghent and Nice renew ties",
      {"Ghent renewed its twin-city agreement with Nice on Monday, forty years after the first signature.",
       "The mayors met at the town hall, where schoolchildren from both cities sang, and the councils approved a new programme of exchanges.",
       "Officials said the next delegation would travel in the spring."})));
  REQUIRE(a.ok());
  CHECK_THAT(a->text, Catch::StartsWith("Ghent renewed its twin-city agreement with Nice"));
  CHECK_THAT(a->text, Catch::Contains("next delegation would travel in the spring."));
  CHECK_THAT(a->text, !Catch::Contains("Home"));
  CHECK_THAT(a->text, !Catch::Contains("cookies"));
  CHECK_THAT(a->text, !Catch::Contains("A. Reporter"));
  CHECK_THAT(a->text, !Catch::Contains("zoo"));
  CHECK_THAT(a->text, !Catch::Contains("©"));
  // Paragraphs stay paragraphs.
  CHECK(std::count(a->text.begin(), a->text.end(), '\n') == 4);
  CHECK(a->title.value == "Ghent and Nice renew ties");
  CHECK(a->language.value == "en");
}

TEST_CASE("cleaner reads metadata from Open Graph, JSON-LD and link rel=canonical, and says where") {
  const std::string html = R"(<html lang="fr-FR"><head>
    <title>Ignored title | Le Site</title>
    <meta property="og:title" content="Le titre">
    <link rel="canonical" href="https://example.fr/2024/05/01/titre">
    <script type="application/ld+json">{"@type":"NewsArticle","headline":"H","datePublished":"2024-05-01T08:00:00+02:00","dateModified":"2024-06-01","author":{"name":"Jeanne"}}</script>
    </head><body><article><p>Le conseil municipal a voté pour un nouveau partenariat avec la ville de Tours, et le maire a salué la décision.</p></article></body></html>)";
  auto a = Cleaner().Process(Html(html));
  REQUIRE(a.ok());
  CHECK(a->title.value == "Le titre");
  CHECK(a->title.source == "og:title");
  CHECK(a->published.value == "2024-05-01");
  CHECK(a->published.source == "json-ld:datePublished");
  CHECK(a->canonical_url.value == "https://example.fr/2024/05/01/titre");
  CHECK(a->language.value == "fr");
  CHECK(a->author.value == "Jeanne");
}

TEST_CASE("cleaner falls back to <title> without the site name, and ignores a date in the future of the fetch") {
  const std::string html = R"(<html><head><title>Council backs new partner city - Daily Bugle</title>
    <meta name="date" content="2031-01-01"></head>
    <body><div><p>The council backed a new partner city on Tuesday after a long debate about costs and benefits for the town.</p></div></body></html>)";
  auto a = Cleaner().Process(Html(html));
  REQUIRE(a.ok());
  CHECK(a->title.value == "Council backs new partner city");
  CHECK(a->published.empty());
}

TEST_CASE("cleaner decodes a declared legacy charset and repairs invalid UTF-8") {
  // "café" in Windows-1252.
  auto latin = Cleaner().Process(Html("<html><body><p>Le caf\xE9 de la place, ouvert depuis 1950, accueille les d\xE9l\xE9gations des villes jumel\xE9""es.</p></body></html>", "windows-1252"));
  REQUIRE(latin.ok());
  CHECK_THAT(latin->text, Catch::Contains("café"));
  CHECK(latin->charset == "windows-1252");

  auto broken = Cleaner().Process(Html("<html><body><p>Bad byte \xFF here, and the rest of the paragraph is fine and long enough.</p></body></html>", "utf-8"));
  REQUIRE(broken.ok());
  CHECK_THAT(broken->text, Catch::Contains("Bad byte \xEF\xBF\xBD here"));
}

TEST_CASE("cleaner reads plain text: a short first line is the title, each line a paragraph") {
  RawDoc d;
  d.url = "file:///tmp/a.txt";
  d.origin = "a.txt";
  d.content_type = "text/plain";
  d.bytes = "Oslo and Kyiv sign pact\n\nOslo signed a friendship agreement with Kyiv.\nMore details followed.\n";
  auto a = Cleaner().Process(d);
  REQUIRE(a.ok());
  CHECK(a->title.value == "Oslo and Kyiv sign pact");
  CHECK(a->text == "Oslo signed a friendship agreement with Kyiv.\n\nMore details followed.");
}

TEST_CASE("cleaner refuses empty documents and binary junk with a message naming the document") {
  auto empty = Cleaner().Process(Html(""));
  REQUIRE_FALSE(empty.ok());
  CHECK_THAT(empty.status().message(), Catch::Contains("page.html"));
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
  auto bin = Cleaner().Process(Html(junk));
  REQUIRE_FALSE(bin.ok());
  CHECK_THAT(bin.status().message(), Catch::Contains("page.html"));
}

TEST_CASE("cleaner survives deeply nested markup without recursion") {
  std::string html = "<html><body>";
  for (int i = 0; i < 5000; ++i) html += "<div>";
  html += "<p>Deep inside, the town of Lund signed a partnership agreement with Tartu after years of talks.</p>";
  auto a = Cleaner().Process(Html(html));
  REQUIRE(a.ok());
  CHECK_THAT(a->text, Catch::Contains("Lund signed a partnership"));
}

TEST_CASE("cleaner takes JSON-LD articleBody when the markup holds only a teaser, and only then") {
  const std::string body =
      "Ghent renewed its twin-city agreement with Nice on Monday, forty years after the first signature.\n"
      "The mayors met at the town hall, where schoolchildren from both cities sang, and the councils approved a new "
      "programme of exchanges.\n"
      "Officials said the next delegation would travel in the spring, and that a joint exhibition was planned.";
  auto page = [](const std::string& article_body, const std::string& markup) {
    return "<html lang=\"en\"><head><title>Ghent and Nice renew ties</title><script type=\"application/ld+json\">"
           "{\"@type\":\"NewsArticle\",\"headline\":\"Ghent and Nice renew ties\",\"articleBody\":" +
           article_body + "}</script></head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
           "<article>" + markup + "</article></body></html>";
  };
  Cleaner cleaner;
  const std::string teaser = "<p>Ghent renewed its twin-city agreement with Nice on Monday.</p><p class=\"paywall\">Subscribe to read more.</p>";
  SECTION("plain text, one paragraph per line") {
    std::string escaped = body;
    for (size_t at = 0; (at = escaped.find('\n', at)) != std::string::npos;) escaped.replace(at, 1, "\\n");
    auto a = cleaner.Process(Html(page("\"" + escaped + "\"", teaser)));
    REQUIRE(a.ok());
    CHECK(a->text_source == "json-ld:articleBody");
    CHECK_THAT(a->text, Catch::StartsWith("Ghent renewed its twin-city agreement with Nice on Monday, forty years"));
    CHECK(std::count(a->text.begin(), a->text.end(), '\n') == 4);
  }
  SECTION("markup, read by its blocks") {
    auto a = cleaner.Process(Html(page("\"<p>Ghent renewed its twin-city agreement with Nice on Monday, forty years after the "
                                       "first signature.</p><p>The mayors met at the town hall, where schoolchildren from both "
                                       "cities sang, and the councils approved a new programme of exchanges.</p><p>Officials "
                                       "said the next delegation would travel in the spring.</p>\"", teaser)));
    REQUIRE(a.ok());
    CHECK(a->text_source == "json-ld:articleBody");
    CHECK(std::count(a->text.begin(), a->text.end(), '\n') == 4);
    CHECK_THAT(a->text, !Catch::Contains("<p>"));
  }
  SECTION("a short articleBody (a summary) does not replace the article in the markup") {
    auto a = cleaner.Process(Html(page("\"Ghent and Nice renew their ties.\"",
                                       "<p>" + body.substr(0, body.find('\n')) + "</p><p>" +
                                       body.substr(body.find('\n') + 1) + "</p>")));
    REQUIRE(a.ok());
    CHECK(a->text_source == "container");
    CHECK_THAT(a->text, Catch::Contains("joint exhibition"));
  }
  SECTION("an articleBody that is not text is ignored") {
    auto a = cleaner.Process(Html(page("{\"@value\":42}", "<p>" + body + "</p>")));
    REQUIRE(a.ok());
    CHECK(a->text_source == "container");
  }
}
