// What an element's tag, ARIA role, class, id and itemprop say about its part in a page: text
// or not, visible or not, article-like or page furniture. General web naming conventions only
// ("article-body", "entry-content", "share-bar", "related-posts", "cookie-consent"), never the
// names of one site.
#pragma once

#include <string_view>

#include "pipeline/html_dom.h"

namespace tw {

struct ElementHints {
  bool never_text = false;  // scripts, styles, form controls, media, <nav>, <head>...
  bool hidden = false;      // hidden attribute, aria-hidden, display:none / visibility:hidden
  bool furniture = false;   // navigation, share bars, comments, related links, ads, bylines, captions...
  bool article_body = false;  // itemprop=articleBody, or role=main / <main> / <article>: the article itself
  int weight = 0;           // Readability-style class weight: +25 article-like, -25 furniture-like, per attribute
};

ElementHints HintsFor(const HtmlDom& dom, HtmlDom::NodeId element);

// Tags whose content forms its own paragraph (p, div, li, h2, td, ...).
bool IsBlockTag(std::string_view tag);
// Block tags that are paragraphs themselves (their score goes to their parent): p, pre, li, h*, td...
bool IsParagraphLikeTag(std::string_view tag);
bool IsHeadingTag(std::string_view tag);

}  // namespace tw
