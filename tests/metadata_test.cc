#include <catch2/catch.hpp>

#include <string>

#include "pipeline/metadata.h"

using namespace tw;

namespace {

constexpr int64_t kFetch = 1735689600;  // 2025-01-01

PageMetadata Read(const std::string& html, const std::string& url = "https://paper.example/news/story") {
  auto dom = HtmlDom::Parse(html);
  REQUIRE(dom.ok());
  return ReadPageMetadata(*dom, url, kFetch);
}

}  // namespace

TEST_CASE("metadata: JSON-LD in a @graph, with type lists, author lists and mainEntityOfPage") {
  auto m = Read(R"(<html><head><script type="application/ld+json">
    {"@context":"https://schema.org","@graph":[{"@type":"Organization","name":"Paper"},
     {"@type":["NewsArticle","Article"],"headline":"  Two towns,
      one festival  ","datePublished":"2024-06-01T07:00:00Z","author":[{"name":"A. Writer"},"B. Reporter",{"name":"A. Writer"}],
      "mainEntityOfPage":{"@id":"https://paper.example/2024/06/01/festival"},"inLanguage":"fr-CA",
      "articleBody":"Body text.","publisher":{"@type":"Organization","name":"The Paper"}}]}
    </script></head><body></body></html>)");
  CHECK(m.title.value == "Two towns, one festival");  // raw line breaks inside the string are tolerated
  CHECK(m.title.source == "json-ld:headline");
  CHECK(m.published.value == "2024-06-01");
  CHECK(m.published.source == "json-ld:datePublished");
  CHECK(m.author.value == "A. Writer, B. Reporter");
  CHECK(m.canonical_url.value == "https://paper.example/2024/06/01/festival");
  CHECK(m.canonical_url.source == "json-ld:url");
  CHECK(m.language.value == "fr");
  CHECK(m.article_body == "Body text.");
  CHECK(m.site_name == "The Paper");
}

TEST_CASE("metadata: broken or absurdly deep JSON-LD is ignored without harm") {
  std::string deep = "<script type=\"application/ld+json\">";
  for (int i = 0; i < 200000; ++i) deep += "[";
  deep += "</script><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":</script>";
  auto m = Read("<html><head>" + deep + "<title>Fallback title</title></head><body></body></html>");
  CHECK(m.title.value == "Fallback title");
  CHECK(m.published.empty());
}

TEST_CASE("metadata: titles lose the site name, and a logo heading is not a title") {
  auto og = Read(R"(<head><meta property="og:site_name" content="Daily Bugle"><meta property="og:title" content="Council backs partner city | Daily Bugle"></head>)");
  CHECK(og.title.value == "Council backs partner city");
  CHECK(og.title.source == "og:title");

  auto h1 = Read(R"(<body><header><h1>Daily Bugle</h1></header><article><h1>Council backs partner city</h1></article></body>)");
  CHECK(h1.title.value == "Council backs partner city");
  CHECK(h1.title.source == "h1");

  auto title = Read(R"(<head><title>Daily Bugle - Council backs partner city after long debate</title></head>)");
  CHECK(title.title.value == "Council backs partner city after long debate");
  CHECK(title.title.source == "<title>");

  // "Site :: Headline" where the site's name is the longer part: the page's heading settles it.
  auto heading = Read(R"(<head><title>The Very Long Name of a Local Paper :: Twinning news</title></head><body><b>Twinning news</b></body>)");
  CHECK(heading.title.value == "Twinning news");

  CHECK(StripSiteName("A - B - Site", "Site") == "A - B");
  CHECK(StripSiteName("Site: Headline here", "site") == "Headline here");
  CHECK(StripSiteName("COVID-19 rules change", "") == "COVID-19 rules change");  // a hyphen is no separator
  CHECK(TitleParts("Headline | Section | Site") == std::vector<std::string>{"Headline", "Section", "Site"});
}

TEST_CASE("metadata: publication date sources in order, never a modified or future date") {
  auto meta = Read(R"(<head><meta property="article:modified_time" content="2024-03-02"><meta property="article:published_time" content="2024-03-01T23:30:00-05:00"></head>)");
  CHECK(meta.published.value == "2024-03-01");
  CHECK(meta.published.source == "meta article:published_time");

  auto itemprop = Read(R"(<body><span itemprop="dateModified">2024-02-02</span><span itemprop="datePublished">January 5, 2024</span></body>)");
  CHECK(itemprop.published.value == "2024-01-05");
  CHECK(itemprop.published.source == "itemprop=datePublished");

  auto times = Read(R"(<body><p class="last-updated"><time datetime="2024-02-02">Feb 2</time></p><time datetime="2024-01-07T10:00">Jan 7</time></body>)");
  CHECK(times.published.value == "2024-01-07");
  CHECK(times.published.source == "<time datetime>");

  auto future = Read(R"(<head><meta name="date" content="2030-01-01"><meta name="dc.date" content="2024-12-31"></head>)");
  CHECK(future.published.value == "2024-12-31");  // the day before the fetch is fine

  auto url = Read("<body></body>", "https://paper.example/2023/07/05/story.html");
  CHECK(url.published.value == "2023-07-05");
  CHECK(url.published.source == "url");
  auto month = Read("<body></body>", "https://paper.example/2023/07/story.html");
  CHECK(month.published.value == "2023-07");

  auto visible = Read(R"(<body><div class="post-date">Published on 3 May 2022</div></body>)");
  CHECK(visible.published.value == "2022-05-03");
  CHECK(visible.published.source == "dateline");

  auto none = Read(R"(<body><div class="date">Updated 3 May 2022</div></body>)");
  CHECK(none.published.empty());

  CHECK(DatelineDate({"BERLIN, Nov. 18, 2019 (Reuters) - The mayors met.", "More."}, kFetch) == "2019-11-18");
  CHECK(DatelineDate({"Updated 18 November 2019", "Text."}, kFetch).empty());
  CHECK(DatelineDate({"The meeting is planned for 18 November 2031."}, kFetch).empty());
}

TEST_CASE("metadata: authors from meta tags and microdata") {
  CHECK(Read(R"(<head><meta name="author" content="Jane Roe"></head>)").author.value == "Jane Roe");
  CHECK(Read(R"(<head><meta name="byl" content="By Jane Roe and John Doe"></head>)").author.value == "Jane Roe and John Doe");
  // An author URL or handle is not a name.
  CHECK(Read(R"(<head><meta property="article:author" content="https://facebook.example/jane"></head>)").author.empty());
  auto micro = Read(R"(<body><div itemprop="author" itemscope><a href="/jane"><span itemprop="name">Jane Roe</span></a></div><span itemprop="author">John Doe</span></body>)");
  CHECK(micro.author.value == "Jane Roe, John Doe");
  CHECK(micro.author.source == "itemprop=author");
}

TEST_CASE("metadata: canonical URLs are absolute http(s), relative ones resolved against the page") {
  auto relative = Read(R"(<head><link rel="canonical" href="/news/story?id=3"></head>)", "https://paper.example/amp/story");
  CHECK(relative.canonical_url.value == "https://paper.example/news/story?id=3");
  CHECK(relative.canonical_url.source == "link rel=canonical");
  auto og = Read(R"html(<head><link rel="canonical" href="javascript:void(0)"><meta property="og:url" content="https://paper.example/s"></head>)html");
  CHECK(og.canonical_url.value == "https://paper.example/s");
  CHECK(og.canonical_url.source == "og:url");
  // A local file has nothing to resolve a relative link against.
  CHECK(Read(R"(<head><link rel="canonical" href="story.html"></head>)", "file:///tmp/story.html").canonical_url.empty());
}

TEST_CASE("metadata: language from html lang, Content-Language, og:locale or JSON-LD") {
  CHECK(Read(R"(<html lang="EN-us"><head></head></html>)").language.value == "en");
  CHECK(Read(R"(<html lang="pt_BR"></html>)").language.value == "pt");
  auto invalid = Read(R"(<html lang="x-default!"><head><meta http-equiv="content-language" content="de-AT"></head></html>)");
  CHECK(invalid.language.value == "de");
  CHECK(invalid.language.source == "content-language");
  CHECK(Read(R"(<head><meta property="og:locale" content="it_IT"></head>)").language.value == "it");
  CHECK(Read("<body></body>").language.empty());
}
