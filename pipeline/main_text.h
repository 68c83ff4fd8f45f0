// The main text of an HTML page: the article body as paragraphs, without the page's furniture
// (navigation, share bars, bylines, captions, related links, comments, cookie and newsletter
// boxes, ads).
//
// How: every element gets text statistics (characters, characters inside links, commas) and a
// class/id/role hint (article-like or furniture-like, by general naming conventions such as
// "content", "article-body", "share", "related", "comments"). Paragraph-like blocks score their
// ancestors by length, commas and link density; the best-scoring container, refined by its
// parent and its siblings, holds the article. Inside it, furniture, link lists and boilerplate
// lines are left out, and headings, paragraphs, lists, quotes and table cells come out in
// document order. When a step finds too little text the next one is tried (content hidden by
// CSS, then every readable block of the page), so one failing heuristic never empties a page.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/html_dom.h"

namespace tw {

struct MainTextOptions {
  size_t max_text_bytes = 4u << 20;  // stop collecting past this much text
  std::string title;                 // the page's title: a heading repeating it is not body text
  std::string site_name;             // the site's name: a heading saying only that is not either
};

struct MainText {
  std::vector<std::string> paragraphs;
  // How it was found: "container" (the article's container), "container+hidden" (the same,
  // counting text hidden by CSS), or "page" (every readable block of the page).
  std::string method;
  size_t chars = 0;  // characters (code points, no spaces) in `paragraphs`
  // Lines left out above the first paragraph as the article's header: bylines, datelines,
  // "Updated ..." (a dateline there is a publication-date clue).
  std::vector<std::string> header_lines;
};

MainText ExtractMainText(const HtmlDom& dom, const MainTextOptions& options);

}  // namespace tw
