#include <catch2/catch.hpp>

#include <string>

#include "pipeline/main_text.h"

using namespace tw;

namespace {

const std::string kP1 = "The two councils approved the partnership on Tuesday evening, after a debate that lasted for more than three hours.";
const std::string kP2 = "Pupils from both towns will visit each other every spring, and a joint committee will plan concerts, sports days and markets.";
const std::string kP3 = "The mayor said the agreement was cheap to run, because families host the visitors and local firms pay for the buses.";
// The three as <p> elements, and as Joined() gives them back.
const std::string kThreeParagraphs = "<p>" + kP1 + "</p><p>" + kP2 + "</p><p>" + kP3 + "</p>";
const std::string kThreeJoined = kP1 + "|" + kP2 + "|" + kP3;

MainText Extract(const std::string& html, const std::string& title = "", const std::string& site_name = "") {
  auto dom = HtmlDom::Parse(html);
  REQUIRE(dom.ok());
  MainTextOptions options;
  options.title = title;
  options.site_name = site_name;
  return ExtractMainText(*dom, options);
}

std::string Joined(const MainText& t) {
  std::string out;
  for (const auto& p : t.paragraphs) out += (out.empty() ? "" : "|") + p;
  return out;
}

}  // namespace

TEST_CASE("main text: blocks become paragraphs in order, with inline markup and line breaks") {
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
  CHECK(Joined(t) == kThreeJoined);
}

TEST_CASE("main text: link lists and link-dense lines inside the article go") {
  auto t = Extract("<body><article><p>" + kP1 + "</p><ul><li><a href=\"/a\">Another story about the town hall</a></li>"
                   "<li><a href=\"/b\">Yet another story about the harbour</a></li></ul><p>" + kP2 + "</p>"
                   "<p><a href=\"/c\">Next: the budget debate explained in full detail</a></p><p>" + kP3 + "</p></article></body>");
  CHECK(Joined(t) == kThreeJoined);
}

TEST_CASE("main text: a container whose class names furniture it also holds is still the article") {
  auto t = Extract("<body><nav><a href=\"/\">Home</a></nav><div class=\"story-body share-enabled has-sidebar\">" + kThreeParagraphs +
                   "<div class=\"share\"><a href=\"#\">Facebook</a> <a href=\"#\">Twitter</a></div></div></body>");
  CHECK(Joined(t) == kThreeJoined);
}

TEST_CASE("main text: article text hidden until a script shows it is found on the second pass") {
  auto t = Extract("<body><div class=\"menu\"><a href=\"/\">Home</a></div><div id=\"story\" style=\"display:none\">" + kThreeParagraphs +
                   "</div></body>");
  CHECK(t.method == "container+hidden");
  CHECK(Joined(t) == kThreeJoined);
}

TEST_CASE("main text: an article wrongly named like furniture is found when nothing else is") {
  auto t = Extract("<body><div class=\"sidebar\">" + kThreeParagraphs + "</div></body>");
  CHECK(Joined(t) == kThreeJoined);
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

TEST_CASE("main text: a data table gives one paragraph per row, a layout table one per cell") {
  auto data = Extract("<body><article><p>" + kP1 + "</p><table><tr><th>Pos.</th><th>Town</th><th>Pupils</th></tr>"
                      "<tr><td>1</td><td>Lyonne</td><td>30</td></tr><tr><td>2</td><td>Kaarina</td><td>45</td></tr></table><p>" +
                      kP2 + "</p><p>" + kP3 + "</p></article></body>");
  CHECK(Joined(data) == kP1 + "|Pos. Town Pupils|1 Lyonne 30|2 Kaarina 45|" + kP2 + "|" + kP3);
  auto layout = Extract("<body><table><tr><td><a href=\"/\">Home</a><br><a href=\"/news\">News</a></td><td>" + kP1 + "<br><br>" +
                        kP2 + "<br><br>" + kP3 + "</td></tr></table></body>");
  CHECK(Joined(layout) == kThreeJoined);
}

TEST_CASE("main text: bylines, update lines and bare dates above the first paragraph go to the header") {
  auto t = Extract("<body><article><p>By Jane Roe -</p><p>Updated at 1:23 p.m.</p><p>November 18, 2019</p><p>" + kP1 +
                   "</p><p>" + kP2 + "</p><p>By the end of the year, the towns hope to meet again.</p><p>" + kP3 + "</p></article></body>");
  CHECK(Joined(t) == kP1 + "|" + kP2 + "|By the end of the year, the towns hope to meet again.|" + kP3);
  CHECK(t.header_lines == std::vector<std::string>{"By Jane Roe -", "Updated at 1:23 p.m.", "November 18, 2019"});
}

TEST_CASE("main text: calls to subscribe or follow are left out, a sentence about newsletters is not") {
  auto t = Extract("<body><article><p>" + kP1 + "</p><p>" + kP2 + "</p><p>Get the latest news in your inbox. Subscribe to our newsletters.</p>"
                   "<p>The council also publishes a newsletter about the exchanges.</p><p>" + kP3 + "</p>"
                   "<p>Have a tip? The reporter may be reached at desk@example.com. Follow her on Twitter.</p></article></body>");
  CHECK(Joined(t) == kP1 + "|" + kP2 + "|The council also publishes a newsletter about the exchanges.|" + kP3);
}

TEST_CASE("main text: a pop-up card of links inside a paragraph goes, an embedded post stays") {
  auto t = Extract("<body><article><p>Mayor <span class=\"card\"><a href=\"/p\">Anne Delorme</a><span class=\"popup-body\">"
                   "<a href=\"/1\">Delorme opens the new library</a> <a href=\"/2\">Delorme on the budget</a> <a href=\"/3\">More</a>"
                   "</span></span> said the pact was modest, and that the schools had asked for it first.</p><p>" + kP1 + "</p><p>" + kP2 + "</p>"
                   "<div class=\"social-media-embed\"><blockquote class=\"twitter-tweet\"><p>Proud to sign our new partnership with Kaarina today "
                   "<a href=\"https://t.example/x\">https://t.example/x</a></p>&mdash; Town of Lyonne (@lyonne) <a href=\"https://tw.example/s/1\">"
                   "April 18, 2023</a></blockquote></div><p>" + kP3 + "</p></article></body>");
  REQUIRE(t.paragraphs.size() == 6);
  CHECK(t.paragraphs[0] == "Mayor Anne Delorme said the pact was modest, and that the schools had asked for it first.");
  CHECK(t.paragraphs[3] == "Proud to sign our new partnership with Kaarina today https://t.example/x");
  CHECK(t.paragraphs[4] == "\xE2\x80\x94 Town of Lyonne (@lyonne) April 18, 2023");
}

TEST_CASE("main text: a paragraph keeps its sentence when a long pop-up card of links is taken out of it") {
  // The card's headlines outweigh the sentence; once the card is gone the sentence is what is left.
  auto t = Extract("<body><article><p>" + kP1 + "</p><p>Rep. <span class=\"hover\"><a href=\"/p/roe\">Jane Roe</a><span>"
                   "<a href=\"/1\">Roe pushes the council to fund the harbour museum before the summer season begins</a> "
                   "<a href=\"/2\">Lawmakers spar over the ferry timetable and the price of tickets for pupils</a> "
                   "<a href=\"/3\">MORE</a></span></span> (Ind.) <a href=\"/x\">linked</a> the vote to the exchange.</p><p>" +
                   kP2 + "</p><p>" + kP3 + "</p></article></body>");
  REQUIRE(t.paragraphs.size() == 4);
  CHECK(t.paragraphs[1] == "Rep. Jane Roe (Ind.) linked the vote to the exchange.");
}

TEST_CASE("main text: a sentence with a link, in a block of its own, stays, and a block of links does not") {
  auto t = Extract("<body><article><div class=\"card\"><p>" + kP1 + "</p></div><div class=\"card\"><p>The plan for the exchange was described in detail "
                   "on Monday in an article in <a href=\"https://j.example/a\">the journal Town Planning</a>.</p></div><div class=\"card\"><p>" +
                   kP2 + "</p></div><div class=\"card\"><p><a href=\"/a\">Kaarina choir visits Lyonne in May</a> "
                   "<a href=\"/b\">Council budget for 2024</a></p></div><div class=\"card\"><p>" + kP3 + "</p></div></article></body>");
  CHECK(Joined(t) == kP1 + "|The plan for the exchange was described in detail on Monday in an article in the journal Town Planning.|" + kP2 + "|" + kP3);
}

TEST_CASE("main text: a heading that says only the site's name is not body text") {
  auto t = Extract("<body><div class=\"content\"><h1 class=\"title\">The Valley Courier</h1><h2>Twinning news</h2>" + kThreeParagraphs +
                   "</div></body>", "", "The Valley Courier");
  CHECK(Joined(t) == "Twinning news|" + kThreeJoined);
}

TEST_CASE("main text: an author box named after the post or the author's details is left out") {
  for (const std::string cls : {"post-author", "entry-author", "author-info", "authorDetails", "author-description"}) {
    DYNAMIC_SECTION(cls) {
      auto t = Extract("<body><div class=\"post-content\">" + kThreeParagraphs + "<div class=\"" +
                       cls + "\"><h5><a href=\"/author/jo\" rel=\"author\">Jo</a></h5><p>Jo is a writer living in the valley with "
                       "her husband, two sons and two cats, and she loves day trips, reading and coffee.</p></div></div></body>");
      CHECK(Joined(t) == kThreeJoined);
    }
  }
}

TEST_CASE("main text: lines filing the article under categories or tags go, above or below it") {
  auto t = Extract("<body><article><p>Category: Local news</p><p>" + kP1 + "</p><p>" + kP2 + "</p><p>The complaint was filed under "
                   "the old rules, the clerk said.</p><p>" + kP3 + "</p><p>Filed under Cities</p><div>Tags: exchange, schools</div>"
                   "</article></body>");
  CHECK(Joined(t) == kP1 + "|" + kP2 + "|The complaint was filed under the old rules, the clerk said.|" + kP3);
}
