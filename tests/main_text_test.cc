#include <catch2/catch.hpp>

#include <string>

#include "pipeline/main_text.h"

using namespace tw;

namespace {

const std::string kP1 = "The two councils approved the partnership on Tuesday evening, after a debate that lasted for more than three hours.";
const std::string kP2 = "Pupils from both towns will visit each other every spring, and a joint committee will plan concerts, sports days and markets.";
const std::string kP3 = "The mayor said the agreement was cheap to run, because families host the visitors and local firms pay for the buses.";

MainText Extract(const std::string& html, const std::string& title = "") {
  auto dom = HtmlDom::Parse(html);
  REQUIRE(dom.ok());
  MainTextOptions options;
  options.title = title;
  return ExtractMainText(*dom, options);
}

std::string Joined(const MainText& t) {
  std::string out;
  for (const auto& p : t.paragraphs) out += (out.empty() ? "" : "|") + p;
  return out;
}

}  // namespace

TEST_CASE("main text: blocks become paragraphs in order; inline markup and line breaks") {
  auto t = Extract("<body><div class=\"article-body\"><p>" + kP1 + " <b>Bold</b> and <a href=\"/x\">linked</a> words.</p>"
                   "<div>" + kP2 + "<br><br>" + kP3 + "</div><h2>A subheading</h2><ol><li>First point of the plan</li>"
                   "<li>Second point of the plan</li></ol></div></body>");
  CHECK(t.method == "container");
  CHECK(Joined(t) == kP1 + " Bold and linked words.|" + kP2 + "|" + kP3 + "|A subheading|First point of the plan|Second point of the plan");
}

TEST_CASE("main text: white space is folded, no-break and zero-width characters included") {
  auto t = Extract("<body><article><p>  " + kP1 + "\xC2\xA0\xC2\xA0 end\xE2\x80\x8B.\n\n</p><p>" + kP2 + "</p><p>" + kP3 + "</p></article></body>");
  REQUIRE(t.paragraphs.size() == 3);
  CHECK(t.paragraphs[0] == kP1 + " end.");
}

TEST_CASE("main text: a heading repeating the title, and boilerplate lines, are left out") {
  auto t = Extract("<body><article><h1>Councils approve partnership</h1><p>Advertisement</p><p>" + kP1 + "</p><p>" + kP2 +
                       "</p><p>Share this article</p><p>" + kP3 + "</p><p>Read more</p></article></body>",
                   "Councils approve partnership");
  CHECK(Joined(t) == kP1 + "|" + kP2 + "|" + kP3);
}

TEST_CASE("main text: link lists and link-dense lines inside the article go") {
  auto t = Extract("<body><article><p>" + kP1 + "</p><ul><li><a href=\"/a\">Another story about the town hall</a></li>"
                   "<li><a href=\"/b\">Yet another story about the harbour</a></li></ul><p>" + kP2 + "</p>"
                   "<p><a href=\"/c\">Next: the budget debate explained in full detail</a></p><p>" + kP3 + "</p></article></body>");
  CHECK(Joined(t) == kP1 + "|" + kP2 + "|" + kP3);
}

TEST_CASE("main text: a container whose class names furniture it also holds is still the article") {
  auto t = Extract("<body><nav><a href=\"/\">Home</a></nav><div class=\"story-body share-enabled has-sidebar\"><p>" + kP1 + "</p><p>" +
                   kP2 + "</p><p>" + kP3 + "</p><div class=\"share\"><a href=\"#\">Facebook</a> <a href=\"#\">Twitter</a></div></div></body>");
  CHECK(Joined(t) == kP1 + "|" + kP2 + "|" + kP3);
}

TEST_CASE("main text: article text hidden until a script shows it is found on the second pass") {
  auto t = Extract("<body><div class=\"menu\"><a href=\"/\">Home</a></div><div id=\"story\" style=\"display:none\"><p>" + kP1 +
                   "</p><p>" + kP2 + "</p><p>" + kP3 + "</p></div></body>");
  CHECK(t.method == "container+hidden");
  CHECK(Joined(t) == kP1 + "|" + kP2 + "|" + kP3);
}

TEST_CASE("main text: an article wrongly named like furniture is found when nothing else is") {
  auto t = Extract("<body><div class=\"sidebar\"><p>" + kP1 + "</p><p>" + kP2 + "</p><p>" + kP3 + "</p></div></body>");
  CHECK(Joined(t) == kP1 + "|" + kP2 + "|" + kP3);
}

TEST_CASE("main text: a page of short blocks falls back to every readable block") {
  auto t = Extract("<body><div><span>Opening hours: 9 to 5.</span></div><div><span>Closed on Sundays.</span></div></body>");
  CHECK(Joined(t) == "Opening hours: 9 to 5.|Closed on Sundays.");
}

TEST_CASE("main text: nothing readable gives nothing") {
  CHECK(Extract("<body><script>var x = 1;</script><nav><a href=\"/\">Home</a></nav></body>").paragraphs.empty());
  CHECK(Extract("").paragraphs.empty());
}

TEST_CASE("main text: collection stops at the configured size") {
  std::string html = "<body><article>";
  for (int i = 0; i < 2000; ++i) html += "<p>" + kP1 + "</p>";
  auto dom = HtmlDom::Parse(html);
  REQUIRE(dom.ok());
  MainTextOptions options;
  options.max_text_bytes = 10000;
  auto t = ExtractMainText(*dom, options);
  size_t bytes = 0;
  for (const auto& p : t.paragraphs) bytes += p.size() + 2;
  CHECK(bytes >= 10000 - kP1.size() - 2);
  CHECK(bytes <= 10000 + kP1.size() + 2);
}
