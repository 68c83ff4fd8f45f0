#include <catch2/catch.hpp>

#include "pipeline/robots.h"

using tw::RobotsRules;

namespace {

struct Case {
  const char* agent;
  const char* path;
  bool allowed;
};

void CheckAll(const std::string& robots, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO("agent " << c.agent << ", path " << c.path);
    CHECK(RobotsRules::Parse(robots, c.agent).Allowed(c.path) == c.allowed);
  }
}

}  // namespace

// The example of RFC 9309 section 5.1 and what it says each crawler may fetch.
TEST_CASE("robots: the RFC 9309 example file gives each crawler its own group") {
  const std::string robots =
      "User-Agent: *\n"
      "Disallow: *.gif$\n"
      "Disallow: /example/\n"
      "Allow: /publications/\n"
      "\n"
      "User-Agent: foobot\n"
      "Disallow:/\n"
      "Allow:/example/page.html\n"
      "Allow:/example/allowed.gif\n"
      "\n"
      "User-Agent: barbot\n"
      "User-Agent: bazbot\n"
      "Disallow: /example/page.html\n"
      "\n"
      "User-Agent: quxbot\n";
  CheckAll(robots, {
                       {"foobot", "/example/page.html", true},
                       {"foobot", "/example/allowed.gif", true},
                       {"foobot", "/example/other.html", false},
                       {"foobot", "/", false},
                       {"FooBot", "/publications/", false},  // product tokens match case-insensitively
                       {"barbot", "/example/page.html", false},
                       {"bazbot", "/example/page.html", false},
                       {"barbot", "/example/other.html", true},
                       {"barbot", "/image.gif", true},  // a named group does not inherit '*'
                       {"quxbot", "/example/page.html", true},  // an empty group allows everything
                       {"otherbot", "/image.gif", false},
                       {"otherbot", "/image.gif?x", true},  // '$' anchors the end
                       {"otherbot", "/example/", false},
                       {"otherbot", "/example/x", false},
                       {"otherbot", "/publications/", true},
                       {"otherbot", "/", true},
                       {"otherbot", "/robots.txt", true},
                   });
}

TEST_CASE("robots: the longest matching rule wins, and Allow wins a tie (RFC 9309 section 5.2)") {
  const std::string robots =
      "User-Agent: foobot\n"
      "Allow: /example/page/\n"
      "Disallow: /example/page/disallowed.gif\n"
      "Disallow: /tie\n"
      "Allow: /tie\n"
      "Disallow: /folder/\n"
      "Allow: /folder/*.html$\n";
  CheckAll(robots, {
                       {"foobot", "/example/page/", true},
                       {"foobot", "/example/page/disallowed.gif", false},
                       {"foobot", "/example/page/other.gif", true},
                       {"foobot", "/tie", true},
                       {"foobot", "/folder/a.html", true},
                       {"foobot", "/folder/a.html?x", false},
                       {"foobot", "/folder/a.php", false},
                   });
}

TEST_CASE("robots: wildcards, '$' and prefix matching") {
  const std::string robots =
      "user-agent: *\n"
      "disallow: /fish*.php\n"
      "disallow: /*/private/\n"
      "disallow: /exact$\n"
      "disallow: /**/deep*\n";
  CheckAll(robots, {
                       {"any", "/fish.php", false},
                       {"any", "/fishheads/catfish.php?parameters", false},
                       {"any", "/Fish.PHP", true},  // paths are case-sensitive
                       {"any", "/fish.asp", true},
                       {"any", "/a/private/b", false},
                       {"any", "/private/b", true},
                       {"any", "/exact", false},
                       {"any", "/exact/more", true},
                       {"any", "/x/y/deeper", false},
                   });
}

TEST_CASE("robots: percent-encoding is compared in normal form (RFC 9309 section 2.2.2)") {
  const std::string robots =
      "User-agent: *\n"
      "Disallow: /foo/bar/%62%61%7A\n"
      "Disallow: /caf\xC3\xA9/\n"
      "Disallow: /a%3cb\n";
  CheckAll(robots, {
                       {"any", "/foo/bar/baz", false},
                       {"any", "/foo/bar/%62%61%7A", false},
                       {"any", "/caf%C3%A9/menu", false},
                       {"any", "/a%3Cb", false},
                       {"any", "/a<b", false},
                   });
}

TEST_CASE("robots: comments, blank lines, CRLF, a BOM, unknown lines and rules outside groups") {
  const std::string robots =
      "\xEF\xBB\xBF# our robots\r\n"
      "Disallow: /before-any-group\r\n"
      "Sitemap: https://news.example/sitemap.xml\r\n"
      "User-agent: twinwatch/0.1  # our crawler\r\n"
      "Noindex: /x\r\n"
      "Disallow: /drafts/ # not yet\r\n"
      "Crawl-delay: 2.5\r\n"
      "\r\n"
      "User-agent: *\r\n"
      "Crawl-delay: 10\r\n"
      "Disallow: /\r\n";
  RobotsRules ours = RobotsRules::Parse(robots, tw::ProductToken("twinwatch/0.1 (+https://example.org/contact)"));
  CHECK(ours.Allowed("/before-any-group"));
  CHECK_FALSE(ours.Allowed("/drafts/a"));
  CHECK(ours.Allowed("/news/a"));
  REQUIRE(ours.crawl_delay_seconds().has_value());
  CHECK(*ours.crawl_delay_seconds() == Approx(2.5));
  REQUIRE(ours.sitemaps().size() == 1);
  CHECK(ours.sitemaps()[0] == "https://news.example/sitemap.xml");
  RobotsRules other = RobotsRules::Parse(robots, "otherbot");
  CHECK_FALSE(other.Allowed("/news/a"));
  CHECK(*other.crawl_delay_seconds() == Approx(10));
}

TEST_CASE("robots: groups naming the same crawler are combined") {
  const std::string robots =
      "User-agent: twinwatch\nDisallow: /a/\n\nUser-agent: other\nDisallow: /b/\n\nUser-agent: TwinWatch\nDisallow: /c/\n";
  CheckAll(robots, {{"twinwatch", "/a/1", false}, {"twinwatch", "/b/1", true}, {"twinwatch", "/c/1", false}});
}

TEST_CASE("robots: empty Disallow allows everything, and an unreachable robots.txt disallows everything") {
  CHECK(RobotsRules::Parse("User-agent: *\nDisallow:\n", "any").Allowed("/x"));
  CHECK(RobotsRules::Parse("", "any").Allowed("/x"));
  CHECK(RobotsRules::AllowAll().Allowed("/anything"));
  CHECK_FALSE(RobotsRules::DisallowAll().Allowed("/anything"));
  CHECK_FALSE(RobotsRules::DisallowAll().Allowed("/"));
  CHECK(RobotsRules::DisallowAll().Allowed("/robots.txt"));
}

TEST_CASE("robots: pathological patterns are matched without blowing up") {
  std::string robots = "User-agent: *\nDisallow: /";
  for (int i = 0; i < 200; ++i) robots += "*a";
  robots += "b$\n";
  const std::string path = "/" + std::string(5000, 'a');
  CHECK(RobotsRules::Parse(robots, "any").Allowed(path));
  CHECK_FALSE(RobotsRules::Parse(robots, "any").Allowed(path + "b"));
}

TEST_CASE("robots: the product token is the leading name of the user agent") {
  CHECK(tw::ProductToken("twinwatch/0.1 (+https://example.org/contact)") == "twinwatch");
  CHECK(tw::ProductToken("  My-Crawler_2") == "my-crawler_");
  CHECK(tw::ProductToken("") == "");
}
