#include "pipeline/page_hints.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <unordered_set>
#include <vector>

namespace tw {

namespace {

using NodeId = HtmlDom::NodeId;

bool In(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// "article-body js-shareBar" -> article, body, js, share, bar (camelCase splits too).
std::vector<std::string> Tokens(std::string_view value) {
  std::vector<std::string> tokens;
  std::string current;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (!IsAlnum(c)) {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
      continue;
    }
    const bool camel_break = c >= 'A' && c <= 'Z' && i > 0 && value[i - 1] >= 'a' && value[i - 1] <= 'z';
    if (camel_break && !current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
    current.push_back(Lower(c));
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

struct TokenSet {
  std::unordered_set<std::string_view> exact;
  std::vector<std::string_view> prefixes;
  bool Matches(std::string_view token) const {
    if (exact.count(token)) return true;
    for (auto p : prefixes) {
      if (token.size() >= p.size() && token.compare(0, p.size(), p) == 0) return true;
    }
    return false;
  }
};

// Furniture whatever else the element says of itself.
const TokenSet& StrongFurniture() {
  static const TokenSet kSet = {
      {"nav", "navbar", "navigation", "menu", "menus", "submenu", "megamenu", "breadcrumb", "breadcrumbs", "pagination",
       "pager", "toolbar", "topbar", "masthead", "footer", "sidebar", "share", "shares", "sharing", "comment",
       "comments", "disqus", "replies", "respond", "related", "recommended", "recommendations", "trending", "popular",
       "mostread", "mostpopular", "mostviewed", "seealso", "morestories", "outbrain", "taboola", "zergnet",
       "newsletter", "subscribe", "subscription", "signup", "cookie", "cookies", "consent", "gdpr", "ad", "ads",
       "adsense", "adslot", "adunit", "adwrapper", "adcontainer", "adbox", "dfp", "byline", "bylines", "caption",
       "captions", "figcaption", "credit", "credits", "tags", "tagcloud", "taglist", "popup", "modal", "overlay",
       "lightbox", "skiplink", "login", "signin", "searchform", "subnav", "ticker", "promo", "promos", "sponsored",
       "authorbio", "authorbox", "aboutauthor", "authorinfo", "authordetails", "authordescription", "authorcontent",
       "authorprofile", "authorcard", "authorwrap", "postauthor", "entryauthor", "articleauthor", "storyauthor",
       "relatedposts", "printfriendly", "addthis", "sharethis", "livefyre",
       "recirc", "recirculation", "inlinead"},
      {"advert", "sponsor", "commentlist", "commentform", "shareb", "sharet", "relatedart",
       "newslett", "subscri", "breadcrumb", "sidebar", "navbar", "recommend", "outbrain", "taboola", "cookiebanner",
       "promoted"}};
  return kSet;
}

// Furniture unless the element also calls itself article-like ("header" is furniture, but
// "article-header-content"... is not for sure).
const TokenSet& WeakFurniture() {
  static const TokenSet kSet = {{"header", "meta", "widget", "widgets", "banner", "extra", "tool", "tools", "utility",
                                 "aside", "rail", "sticky", "author", "date", "dateline", "timestamp", "time",
                                 "footnote", "print", "media", "gallery", "slideshow", "carousel", "video", "social",
                                 "disclaimer", "bio", "info", "infobox", "alert", "notice", "shop", "shopping", "buy",
                                 "cta", "skip", "search", "category", "categories", "label", "breaking", "teaser",
                                 "teasers"},
                                {}};
  return kSet;
}

const TokenSet& ArticleLike() {
  static const TokenSet kSet = {{"article", "articlebody", "articletext", "articlecontent", "content", "entry",
                                 "entrycontent", "post", "postbody", "postcontent", "posttext", "story", "storybody",
                                 "storycontent", "storytext", "body", "main", "blog", "hentry", "prose", "richtext",
                                 "copy", "embed", "embedded"},
                                {"articleb", "articlec", "articlet", "entryc", "postc", "postb", "storyb", "storyc",
                                 "storyt", "bodytext", "maincontent"}};
  return kSet;
}

// "comment" is a prefix of "commentary", an opinion piece.
bool IsCommentary(std::string_view token) { return token.rfind("commentar", 0) == 0; }

struct AttributeVerdict {
  bool strong = false, weak = false, article = false;
};

AttributeVerdict Judge(std::string_view value) {
  AttributeVerdict v;
  const std::vector<std::string> tokens = Tokens(value);
  auto judge = [&v](std::string_view token) {
    if (IsCommentary(token)) {
      v.article = true;
      return;
    }
    if (StrongFurniture().Matches(token)) v.strong = true;
    else if (WeakFurniture().Matches(token)) v.weak = true;
    if (ArticleLike().Matches(token)) v.article = true;
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    judge(tokens[i]);
    // Two-word names written as one class: "most-read" and "mostRead" both say "mostread".
    if (i + 1 < tokens.size()) judge(tokens[i] + tokens[i + 1]);
  }
  return v;
}

bool NeverTextTag(std::string_view tag) {
  return In(tag, {"script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object", "embed",
                  "video", "audio", "source", "track", "picture", "map", "area", "button", "select", "option",
                  "optgroup", "textarea", "input", "label", "nav", "head", "title", "meta", "link", "base", "dialog",
                  "figcaption", "menu", "datalist", "output", "progress", "meter", "noframes", "noembed"});
}

bool FurnitureTag(std::string_view tag) { return In(tag, {"header", "footer", "aside"}); }

bool FurnitureRole(std::string_view role) {
  return In(role, {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu",
                   "menubar", "toolbar", "tablist", "tooltip", "alert", "status", "marquee", "timer"});
}

bool HiddenStyle(std::string_view style) {
  std::string s;
  for (char c : style) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') s.push_back(Lower(c));
  }
  return s.find("display:none") != std::string::npos || s.find("visibility:hidden") != std::string::npos;
}

// Whole class names that hide an element on every screen (unlike "hidden-xs" or "d-none
// d-md-block", which hide it only on some).
bool HiddenClass(std::string_view classes) {
  size_t i = 0;
  while (i < classes.size()) {
    while (i < classes.size() && classes[i] == ' ') ++i;
    size_t j = i;
    while (j < classes.size() && classes[j] != ' ' && classes[j] != '\t' && classes[j] != '\n') ++j;
    const std::string_view name = classes.substr(i, j - i);
    if (In(name, {"hidden", "hide", "is-hidden", "sr-only", "screen-reader-text", "visually-hidden",
                  "visuallyhidden", "screenreader-only", "element-invisible", "u-hidden"})) {
      return true;
    }
    i = j + 1;
  }
  return false;
}

}  // namespace

ElementHints HintsFor(const HtmlDom& dom, NodeId element) {
  ElementHints h;
  const auto& n = dom.node(element);
  if (NeverTextTag(n.tag)) {
    h.never_text = true;
    return h;
  }
  if (n.tag == "html" || n.tag == "body" || n.tag == "#document") return h;
  if (FurnitureTag(n.tag)) h.furniture = true;
  if (n.tag == "article" || n.tag == "main") h.weight += 10;
  bool article_like = false;
  bool weak = false;
  for (const auto& [name, value] : dom.Attributes(element)) {
    if (name == "class" || name == "id") {
      const AttributeVerdict v = Judge(value);
      if (v.strong || v.weak) h.weight -= 25;
      if (v.article) h.weight += 25;
      h.furniture |= v.strong;
      weak |= v.weak;
      article_like |= v.article;
      if (name == "class" && HiddenClass(value)) h.hidden = true;
    } else if (name == "role") {
      if (FurnitureRole(value)) h.furniture = true;
      if (value == "main" || value == "article") h.weight += 25;
    } else if (name == "itemprop") {
      if (value == "articleBody" || value == "articlebody") {
        h.article_body = true;
        h.weight += 50;
      }
    } else if (name == "hidden") {
      h.hidden = true;
    } else if (name == "aria-hidden") {
      if (value == "true") h.hidden = true;
    } else if (name == "style") {
      if (HiddenStyle(value)) h.hidden = true;
    }
  }
  if (weak && !article_like) h.furniture = true;
  if (h.article_body) h.furniture = false;
  return h;
}

bool IsBlockTag(std::string_view tag) {
  return In(tag, {"p", "div", "section", "article", "main", "body", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
                  "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
                  "caption", "figure", "address", "center", "header", "footer", "aside", "form", "fieldset",
                  "details", "summary", "hr", "html", "#document", "noframes", "frameset"});
}

bool IsParagraphLikeTag(std::string_view tag) {
  return In(tag, {"p", "pre", "blockquote", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                  "address", "caption"});
}

bool IsHeadingTag(std::string_view tag) { return In(tag, {"h1", "h2", "h3", "h4", "h5", "h6"}); }

}  // namespace tw
