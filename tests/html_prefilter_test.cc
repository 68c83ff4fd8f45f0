#include <catch2/catch.hpp>

#include <string>

#include "pipeline/html_dom.h"
#include "pipeline/html_prefilter.h"

using namespace tw;

namespace {

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

uint32_t MaxDepth(const HtmlDom& dom) {
  uint32_t depth = 0;
  for (HtmlDom::NodeId i = 0; i < dom.size(); ++i) depth = std::max(depth, dom.node(i).depth);
  return depth;
}

// The text of the page with whitespace runs collapsed: what must survive any filtering.
std::string Text(const HtmlDom& dom) {
  std::string out;
  for (char c : dom.TextContent(dom.root())) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("prefilter leaves a real page's markup alone and drops comments, scripts and style sheets") {
  const std::string page =
      "<!doctype html><html><head><style>p { color: red } a > b {}</style>"
      "<script>var s = '<div>'; if (a < b && c > d) document.write('</p>');</script>"
      "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"H <b>\"}</script>"
      "</head><body><!-- a comment <div> --><div class=\"x\" data-a='1>2'><p>One<p>Two<ul><li>a<li>b</ul>"
      "<svg><path d=\"M0\"/><path/></svg><table><tr><td>c<td>d</table><textarea><b>raw</textarea></div></body></html>";
  PrefilterResult r = PrefilterHtml(page);
  CHECK(r.deleted_tags == 0);
  CHECK(r.trimmed_tags == 0);
  CHECK(r.closed_tags == 0);
  REQUIRE(r.rewritten);
  CHECK_THAT(r.html, !Catch::Contains("color: red"));
  CHECK_THAT(r.html, !Catch::Contains("document.write"));
  CHECK_THAT(r.html, !Catch::Contains("a comment"));
  CHECK_THAT(r.html, Catch::Contains("<script></script>"));
  CHECK_THAT(r.html, Catch::Contains("{\"@type\":\"NewsArticle\",\"headline\":\"H <b>\"}"));  // JSON-LD is data
  CHECK_THAT(r.html, Catch::Contains("<div class=\"x\" data-a='1>2'><p>One<p>Two<ul><li>a<li>b</ul>"));
  CHECK_THAT(r.html, Catch::Contains("<textarea><b>raw</textarea>"));
}

TEST_CASE("prefilter keeps a page with nothing to drop as it is") {
  PrefilterResult r = PrefilterHtml("<p>plain <b>page</b></p>");
  CHECK_FALSE(r.rewritten);
  CHECK(r.html.empty());
}

TEST_CASE("a million nested elements parse, capped in depth, with all their text") {
  const size_t n = 1000000;
  const std::string page = "<html><body>" + Repeat("<div>", n) + "<p>deep text</p>" + Repeat("</div>", n) +
                           "<p>after</p></body></html>";
  PrefilterResult r = PrefilterHtml(page);
  // The divs past the limit go with their end tags, and so does the <p> that would be deeper still.
  CHECK(r.deleted_tags == 2 * (n - PrefilterLimits{}.max_depth) + 2);
  auto dom = HtmlDom::Parse(page);
  REQUIRE(dom.ok());
  CHECK(MaxDepth(*dom) < 600);
  CHECK(dom->limited_tags() > 0);
  CHECK(Text(*dom) == "deep textafter");
  // "after" is outside every div again: the end tags of deleted start tags went with them.
  auto ps = dom->ElementsByTag("p");
  REQUIRE(ps.size() == 1);
  CHECK(dom->TextContent(ps[0]) == "after");
  CHECK(dom->node(dom->node(ps[0]).parent).tag == "body");
}

TEST_CASE("a million nested inline, list, table and svg elements stay bounded too") {
  const size_t n = 200000;
  for (const std::string& unit : {std::string("<span>"), std::string("<ul><li>"), std::string("<table><tr><td>"),
                                  std::string("<select><option>"), std::string("<svg><g>")}) {
    INFO(unit);
    auto dom = HtmlDom::Parse("<body>" + Repeat(unit + "x", n));
    REQUIRE(dom.ok());
    CHECK(MaxDepth(*dom) < 1200);
    CHECK(Text(*dom) == Repeat("x", n));
  }
}

TEST_CASE("unclosed formatting elements cannot multiply the tree") {
  // Each <b id=N> differs, so the spec's limit of three identical ones does not apply; left open
  // inside a <div>, the parser would reopen every one of them in every later <div>.
  std::string page = "<body>";
  const size_t n = 20000;
  for (size_t i = 0; i < n; ++i) page += "<div><b id=" + std::to_string(i) + ">x</div>";
  auto dom = HtmlDom::Parse(page);
  REQUIRE(dom.ok());
  CHECK(dom->size() < 10 * n);
  CHECK(Text(*dom) == Repeat("x", n));

  std::string nested = "<body>";
  for (size_t i = 0; i < n; ++i) nested += "<font size=" + std::to_string(i) + ">";
  nested += "end";
  auto deep = HtmlDom::Parse(nested);
  REQUIRE(deep.ok());
  CHECK(MaxDepth(*deep) < 600);
  CHECK(Text(*deep) == "end");
}

TEST_CASE("a sloppy page's unclosed formatting is left to the parser") {
  // Bold left open across paragraphs is ordinary broken HTML: nothing to change.
  PrefilterResult r = PrefilterHtml("<body><p><b>one<p>two</b><div><i>three</div><p>four");
  CHECK(r.deleted_tags == 0);
  CHECK(r.closed_tags == 0);
  CHECK_FALSE(r.rewritten);
}

TEST_CASE("a tag with a million attributes keeps the first ones") {
  std::string page = "<body><div";
  for (int i = 0; i < 1000000; ++i) page += " a" + std::to_string(i) + "=\"v\"";
  page += ">text</div>";
  PrefilterResult r = PrefilterHtml(page);
  CHECK(r.trimmed_tags == 1);
  auto dom = HtmlDom::Parse(page);
  REQUIRE(dom.ok());
  auto divs = dom->ElementsByTag("div");
  REQUIRE(divs.size() == 1);
  CHECK(dom->node(divs[0]).attribute_count == PrefilterLimits{}.max_attributes);
  CHECK(dom->Attribute(divs[0], "a0") == "v");
  CHECK(Text(*dom) == "text");

  // Repeated <html>/<body> tags only add attributes to the first: the repeats go.
  std::string repeated;
  for (int i = 0; i < 100000; ++i) repeated += "<html a" + std::to_string(i) + "=1><body b" + std::to_string(i) + "=1>";
  auto many = HtmlDom::Parse(repeated + "<p>ok</p>");
  REQUIRE(many.ok());
  CHECK(Text(*many) == "ok");
}

TEST_CASE("the end of input inside a tag, comment or script is not a problem") {
  for (const std::string& page : {std::string("<p>a<div class=\"x"), std::string("<p>a<!-- never closed"),
                                  std::string("<p>a<script>var x = 1;"), std::string("<p>a</"), std::string("<p>a<"),
                                  std::string("<p>a<!"), std::string("<p>a<textarea>b"), std::string("<p>a<plaintext><b>c")}) {
    INFO(page);
    auto dom = HtmlDom::Parse(page);
    REQUIRE(dom.ok());
    CHECK_THAT(Text(*dom), Catch::StartsWith("a"));
  }
}

TEST_CASE("html dom: tags, attributes, text and document order") {
  auto dom = HtmlDom::Parse("<HTML LANG=fr><body><P Class=\"Lead\">Hello <A HREF=\"/x\">world</A></P><my-widget x=1>w</my-widget>");
  REQUIRE(dom.ok());
  auto html = dom->ElementsByTag("html");
  REQUIRE(html.size() == 1);
  CHECK(dom->Attribute(html[0], "lang") == "fr");
  auto p = dom->ElementsByTag("p");
  REQUIRE(p.size() == 1);
  CHECK(dom->Attribute(p[0], "class") == "Lead");  // values keep their case, names do not
  CHECK(dom->TextContent(p[0]) == "Hello world");
  auto widget = dom->ElementsByTag("my-widget");
  REQUIRE(widget.size() == 1);
  CHECK(dom->Attribute(widget[0], "x") == "1");
  // Pre-order walk visits p, its text, a, a's text, then the widget.
  std::string order;
  for (HtmlDom::NodeId id = p[0]; id != HtmlDom::kNone; id = dom->NextInOrder(id, dom->root())) {
    const auto& n = dom->node(id);
    order += n.kind == HtmlDom::Kind::kText ? std::string(n.text) : "<" + std::string(n.tag) + ">";
    order += "|";
  }
  CHECK(order == "<p>|Hello |<a>|world|<my-widget>|w|");
}
