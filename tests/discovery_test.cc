#include <catch2/catch.hpp>
#include <re2/re2.h>

#include "pipeline/discovery.h"
#include "pipeline/sources.h"
#include "tests/test_util.h"

using Catch::Matchers::Equals;
using Links = std::vector<std::string>;

TEST_CASE("discovery: RSS 2.0 item links resolve against the feed URL, canonical and deduplicated") {
  const std::string rss = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>News</title><link>https://news.example/</link>
  <item><title>One</title><link>
     /2024/03/one.html?utm_source=rss</link></item>
  <item><title>Two</title><link><![CDATA[two.html#top]]></link></item>
  <item><title>Guid only</title><guid isPermaLink="true">https://news.example/three.html</guid></item>
  <item><title>Opaque guid</title><guid isPermaLink="false">tag:news.example,2024:4</guid></item>
  <item><title>Again</title><link>https://NEWS.example:443/2024/03/one.html</link></item>
  <item><title>Mail</title><link>mailto:desk@news.example</link></item>
</channel></rss>)";
  auto d = tw::DiscoverInXml(rss, "https://news.example/feeds/all.xml");
  REQUIRE(d.ok());
  CHECK(d->format == "rss");
  CHECK_THAT(d->articles, Equals(Links{"https://news.example/2024/03/one.html", "https://news.example/feeds/two.html",
                                       "https://news.example/three.html"}));
  CHECK(d->warnings.empty());
}

TEST_CASE("discovery: Atom 1.0 alternate links honour xml:base at every level") {
  const std::string atom = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/en/">
  <title>Blog</title>
  <link rel="self" href="https://blog.example/feed.atom"/>
  <entry><title>A</title><link href="posts/a"/></entry>
  <entry xml:base="/archive/"><title>B</title>
    <link rel="edit" href="edit/b"/><link rel="alternate" type="application/json" href="b.json"/>
    <link rel="alternate" type="text/html" href="b.html"/></entry>
  <entry><title>C</title><link rel="enclosure" href="c.mp3"/></entry>
</feed>)";
  auto d = tw::DiscoverInXml(atom, "https://blog.example/feed.atom");
  REQUIRE(d.ok());
  CHECK(d->format == "atom");
  CHECK_THAT(d->articles, Equals(Links{"https://blog.example/en/posts/a", "https://blog.example/archive/b.html"}));
}

TEST_CASE("discovery: prefixed Atom and RSS 1.0 (RDF) feeds") {
  const std::string prefixed = R"(<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry><a:link href="/x"/></a:entry></a:feed>)";
  auto a = tw::DiscoverInXml(prefixed, "http://n.example/f");
  REQUIRE(a.ok());
  CHECK_THAT(a->articles, Equals(Links{"http://n.example/x"}));
  const std::string rdf = R"(<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="http://n.example/"><title>N</title></channel>
  <item rdf:about="http://n.example/1"><title>1</title><link>http://n.example/1</link></item>
</rdf:RDF>)";
  auto r = tw::DiscoverInXml(rdf, "http://n.example/rss");
  REQUIRE(r.ok());
  CHECK(r->format == "rdf");
  CHECK_THAT(r->articles, Equals(Links{"http://n.example/1"}));
}

TEST_CASE("discovery: sitemaps, sitemap indexes and Google News sitemaps") {
  const std::string index = R"(<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://n.example/sitemap-1.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
  <sitemap><loc> /sitemap-2.xml.gz </loc></sitemap>
</sitemapindex>)";
  auto i = tw::DiscoverInXml(index, "https://n.example/sitemap.xml");
  REQUIRE(i.ok());
  CHECK(i->format == "sitemapindex");
  CHECK(i->articles.empty());
  CHECK_THAT(i->sitemaps, Equals(Links{"https://n.example/sitemap-1.xml", "https://n.example/sitemap-2.xml.gz"}));

  const std::string news = R"(<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://n.example/business/article55.html</loc>
    <news:news><news:publication><news:name>The Example Times</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-12-23</news:publication_date><news:title>Companies A, B in Merger Talks</news:title></news:news>
  </url>
  <url><loc>https://n.example/world/twin-towns.html?utm_campaign=x</loc></url>
</urlset>)";
  auto n = tw::DiscoverInXml(news, "https://n.example/news-sitemap.xml");
  REQUIRE(n.ok());
  CHECK(n->format == "sitemap");
  CHECK_THAT(n->articles, Equals(Links{"https://n.example/business/article55.html", "https://n.example/world/twin-towns.html"}));
}

TEST_CASE("discovery: broken XML keeps the links before the break, and other documents are errors naming the URL") {
  const std::string broken = "<rss><channel><item><link>http://n.example/1</link></item><item><link>http://n.example/2?a=1&b</link>";
  auto b = tw::DiscoverInXml(broken, "http://n.example/rss");
  REQUIRE(b.ok());
  CHECK_FALSE(b->articles.empty());
  CHECK(b->articles[0] == "http://n.example/1");
  REQUIRE(b->warnings.size() == 1);
  CHECK_THAT(b->warnings[0], Catch::Contains("http://n.example/rss"));

  auto html = tw::DiscoverInXml("<html><body>not a feed</body></html>", "http://n.example/page");
  REQUIRE_FALSE(html.ok());
  CHECK_THAT(html.status().message(), Catch::Contains("http://n.example/page") && Catch::Contains("<html>"));
  auto garbage = tw::DiscoverInXml("\x01\x02 plain words", "http://n.example/x");
  REQUIRE_FALSE(garbage.ok());
  CHECK_THAT(garbage.status().message(), Catch::Contains("not a feed or sitemap"));
}

TEST_CASE("discovery: deeply nested XML does not overflow the stack") {
  std::string deep = "<rss><channel>";
  for (int i = 0; i < 200000; ++i) deep += "<x>";
  auto d = tw::DiscoverInXml(deep, "http://n.example/rss");
  CHECK(d.ok());
}

TEST_CASE("discovery: a listing page yields the links matching its pattern, after <base href>") {
  const std::string page = R"(<html><head><base href="https://press.example/press/"></head><body>
    <nav><a href="/">Home</a> <a href="/press/">Press</a></nav>
    <a href="2024/05/city-signs-pact.html">Pact</a>
    <a href="/press/2023/11/older.html#more">Older</a>
    <a href="https://other.example/press/2022/x.html">Elsewhere</a>
    <a href="/press/about.html">About</a>
    <a href="2024/05/city-signs-pact.html?utm_medium=social">Pact again</a>
    <a>no href</a></body></html>)";
  RE2 links(R"(/press/\d{4}/)");
  auto d = tw::DiscoverInPage(page, "https://press.example/index.html", "", links);
  REQUIRE(d.ok());
  CHECK(d->format == "html");
  CHECK_THAT(d->articles, Equals(Links{"https://press.example/press/2024/05/city-signs-pact.html",
                                       "https://press.example/press/2023/11/older.html",
                                       "https://other.example/press/2022/x.html"}));
}

TEST_CASE("sources file: the CONTRACT example loads, with durations and relative URLs") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "conf/sources.toml", R"toml(
[crawler]
user_agent = "twinwatch/0.1 (+https://example.org/contact)"
concurrency = 32          # connections in flight, all hosts together
per_host_delay = "1s"
allow_private = false

[[source]]
name = "city-hall-news"
feed = "https://example.org/news/rss.xml"        # RSS 2.0 or Atom 1.0
every = "30m"

[[source]]
name = "daily"
sitemap = "https://example.com/news-sitemap.xml"
every = "1h"

[[source]]
name = "press-releases"
page = "https://example.net/press/"
links = "/press/\\d{4}/"
every = "6h"

[[source]]
name = "saved"
feed = "../feeds/my feed.xml"
)toml");
  auto f = tw::LoadSourcesFile(dir / "conf/sources.toml");
  REQUIRE(f.ok());
  CHECK(f->crawler.user_agent == "twinwatch/0.1 (+https://example.org/contact)");
  CHECK(f->crawler.concurrency == 32);
  CHECK(f->crawler.per_host_delay_seconds == Approx(1));
  CHECK_FALSE(f->crawler.allow_private);
  CHECK(f->crawler.max_body_bytes == 10u << 20);
  REQUIRE(f->sources.size() == 4);
  CHECK(f->sources[0].kind == tw::SourceKind::kFeed);
  CHECK(f->sources[0].every_seconds == Approx(1800));
  CHECK(f->sources[1].kind == tw::SourceKind::kSitemap);
  CHECK(f->sources[2].kind == tw::SourceKind::kPage);
  REQUIRE(f->sources[2].links_re);
  CHECK(RE2::PartialMatch("https://example.net/press/2024/x", *f->sources[2].links_re));
  CHECK(f->sources[3].url == "file://" + dir.path() + "/feeds/my%20feed.xml");
  CHECK(f->sources[3].every_seconds == Approx(3600));
}

TEST_CASE("sources file: mistakes are reported as FILE:LINE with what to fix") {
  tw::test::TempDir dir;
  auto error_for = [&](const std::string& toml) {
    tw::test::WriteFile(dir / "s.toml", toml);
    auto f = tw::LoadSourcesFile(dir / "s.toml");
    REQUIRE_FALSE(f.ok());
    return f.status().message();
  };
  CHECK_THAT(error_for("[[source]]\nname = \"a\"\nfeed = \"http://x/\"\nevery = \"often\"\n"),
             Catch::Contains("s.toml:4") && Catch::Contains("every") && Catch::Contains("not a duration"));
  CHECK_THAT(error_for("[[source]]\nname = \"a\"\nfeeds = \"http://x/\"\n"), Catch::Contains("s.toml:3") && Catch::Contains("unknown key 'feeds'"));
  CHECK_THAT(error_for("[[source]]\nname = \"a\"\nfeed = \"http://x/\"\nsitemap = \"http://x/s\"\n"), Catch::Contains("exactly one of"));
  CHECK_THAT(error_for("[[source]]\nname = \"a\"\npage = \"http://x/\"\n"), Catch::Contains("links"));
  CHECK_THAT(error_for("[[source]]\nname = \"a\"\npage = \"http://x/\"\nlinks = \"(\"\n"), Catch::Contains("s.toml:4") && Catch::Contains("bad links pattern"));
  CHECK_THAT(error_for("[[source]]\nname = \"a\"\nfeed = \"mailto:x@y\"\n"), Catch::Contains("not an http, https or file URL"));
  CHECK_THAT(error_for("[crawler]\nconcurrency = 0\n[[source]]\nname = \"a\"\nfeed = \"http://x/\"\n"), Catch::Contains("s.toml:2") && Catch::Contains("between 1 and 1024"));
  CHECK_THAT(error_for("[crawler]\nconcurrency = 2\n"), Catch::Contains("no [[source]]"));
  CHECK_THAT(error_for("[[source]]\nname = \"a\"\nfeed = \"http://x/\"\n[[source]]\nname = \"a\"\nfeed = \"http://y/\"\n"), Catch::Contains("two sources are named 'a'"));
  CHECK_THAT(error_for("[[source]\nname = 1\n"), Catch::Contains("s.toml:1"));
  auto missing = tw::LoadSourcesFile(dir / "missing.toml");
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("missing.toml"));
}

TEST_CASE("durations: units add up and nonsense is refused") {
  CHECK(*tw::ParseDuration("90s") == Approx(90));
  CHECK(*tw::ParseDuration("1h30m") == Approx(5400));
  CHECK(*tw::ParseDuration("500ms") == Approx(0.5));
  CHECK(*tw::ParseDuration("2d") == Approx(172800));
  CHECK(*tw::ParseDuration("0s") == Approx(0));
  CHECK_FALSE(tw::ParseDuration("").ok());
  CHECK_FALSE(tw::ParseDuration("10").ok());
  CHECK_FALSE(tw::ParseDuration("5 minutes").ok());
  CHECK_FALSE(tw::ParseDuration("h").ok());
}
