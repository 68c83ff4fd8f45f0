#include "pipeline/cleaner.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <string_view>
#include <unordered_map>

#include "pipeline/charset.h"
#include "pipeline/html_dom.h"

namespace tw {

using NodeId = HtmlDom::NodeId;

namespace {

bool IsOneOf(std::string_view tag, std::initializer_list<std::string_view> tags) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

// Elements that never hold article text.
bool IsJunkTag(std::string_view tag) {
  return IsOneOf(tag, {"script", "style", "noscript", "template", "svg", "nav", "footer", "aside",
                       "form", "iframe", "button", "select", "textarea", "figcaption", "header",
                       "menu", "dialog", "canvas", "video", "audio", "object", "embed", "head"});
}

// Elements whose text forms a paragraph of its own.
bool IsBlockTag(std::string_view tag) {
  return IsOneOf(tag, {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
                       "h6", "li", "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th",
                       "dl", "dt", "dd", "figure", "br", "hr", "address", "body", "center"});
}

// Elements that count as a paragraph when scoring candidate containers.
bool IsParagraphTag(std::string_view tag) {
  return IsOneOf(tag, {"p", "pre", "blockquote", "li", "h2", "h3", "h4", "td"});
}

// Appends text with runs of whitespace collapsed to one space.
void AppendCollapsed(std::string& out, std::string_view text) {
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string CollapsedText(const HtmlDom& dom, NodeId id) {
  std::string out;
  AppendCollapsed(out, dom.TextContent(id));
  return Trim(out);
}

// Characters of text inside links under `scope`.
size_t LinkChars(const HtmlDom& dom, NodeId scope) {
  size_t chars = 0;
  NodeId d = dom.NextInOrder(scope, scope);
  while (d != HtmlDom::kNone) {
    if (dom.node(d).tag == "a") {
      chars += CollapsedText(dom, d).size();
      d = dom.NextInOrder(d, scope, /*skip_children=*/true);
    } else {
      d = dom.NextInOrder(d, scope);
    }
  }
  return chars;
}

// "2023-07-05T10:00:00Z", "2023-07-05", "2023/07/05" -> "2023-07-05"; "" if not a date.
std::string NormaliseIsoDate(std::string_view s) {
  static const RE2 kIso(R"((\d{4})[-/](\d{2})[-/](\d{2}))");
  std::string y, m, d;
  if (!RE2::PartialMatch(s, kIso, &y, &m, &d)) return {};
  int month = std::stoi(m), day = std::stoi(d), year = std::stoi(y);
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return {};
  return y + "-" + m + "-" + d;
}

std::string UnixToIsoDate(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Reads `headline`, `datePublished`, `author`, `articleBody` from JSON-LD blocks.
struct JsonLd {
  std::string headline, date_published, author, url;
};

void ReadJsonLdObject(const nlohmann::json& j, JsonLd& out) {
  if (j.is_array()) {
    for (const auto& item : j) ReadJsonLdObject(item, out);
    return;
  }
  if (!j.is_object()) return;
  if (j.contains("@graph")) ReadJsonLdObject(j["@graph"], out);
  auto str = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string type = j.contains("@type") && j["@type"].is_string() ? j["@type"].get<std::string>() : "";
  bool article_like = type.find("Article") != std::string::npos || type == "BlogPosting" || type == "Report";
  if (!article_like) return;
  if (out.headline.empty()) out.headline = str("headline");
  if (out.date_published.empty()) out.date_published = str("datePublished");
  if (out.url.empty()) out.url = str("url");
  if (out.author.empty() && j.contains("author")) {
    const auto& a = j["author"];
    const auto& first = a.is_array() && !a.empty() ? a[0] : a;
    if (first.is_object() && first.contains("name") && first["name"].is_string()) out.author = first["name"].get<std::string>();
    else if (first.is_string()) out.author = first.get<std::string>();
  }
}

// "Headline | Site Name" -> "Headline" (the longest part, when separators are present).
std::string StripSiteName(const std::string& title) {
  static const RE2 kSep(R"(\s+[|–—-]\s+|\s+::\s+|\s+»\s+)");
  std::vector<std::string> parts;
  re2::StringPiece input(title);
  re2::StringPiece match;
  size_t start = 0;
  while (kSep.Match(input, start, input.size(), RE2::UNANCHORED, &match, 1)) {
    size_t pos = match.data() - input.data();
    parts.push_back(title.substr(start, pos - start));
    start = pos + match.size();
  }
  parts.push_back(title.substr(start));
  if (parts.size() == 1) return title;
  return *std::max_element(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
}

// A cheap language guess from stopwords, for pages that do not declare one.
std::string GuessLanguage(const std::string& text) {
  static const std::unordered_map<std::string, std::vector<std::string>> kStopwords = {
      {"en", {"the", "and", "of", "to", "in", "is", "that", "with", "for", "was"}},
      {"de", {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "zu"}},
      {"fr", {"le", "la", "les", "et", "des", "est", "une", "du", "dans", "pour"}},
      {"es", {"el", "la", "los", "las", "y", "del", "que", "en", "por", "con"}},
      {"it", {"il", "di", "che", "e", "la", "per", "non", "della", "sono", "gli"}},
      {"nl", {"de", "het", "een", "van", "en", "niet", "zijn", "met", "voor", "op"}},
  };
  std::unordered_map<std::string, int> words;
  std::string word;
  size_t counted = 0;
  for (size_t i = 0; i <= text.size() && counted < 2000; ++i) {
    char c = i < text.size() ? text[i] : ' ';
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      ++words[word];
      ++counted;
      word.clear();
    }
  }
  std::string best;
  int best_hits = 0;
  for (const auto& [lang, list] : kStopwords) {
    int hits = 0;
    for (const auto& w : list) {
      auto it = words.find(w);
      if (it != words.end()) hits += it->second;
    }
    if (hits > best_hits) {
      best_hits = hits;
      best = lang;
    }
  }
  return counted >= 20 && best_hits * 10 >= static_cast<int>(counted) ? best : std::string();
}

std::string PrimaryLanguageTag(std::string_view lang) {
  std::string out;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    if (std::isalpha(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out.size() >= 2 && out.size() <= 3 ? out : std::string();
}

// True when the bytes hold control characters that text never has (a few in a thousand are
// tolerated: pages do carry stray ones). Wide encodings (UTF-16/32) are full of NULs by design.
bool LooksBinary(const std::string& bytes, const std::string& charset) {
  if (charset.rfind("UTF-16", 0) == 0 || charset.rfind("UTF-32", 0) == 0) return false;
  const size_t limit = std::min<size_t>(bytes.size(), 64 * 1024);
  size_t junk = 0;
  for (size_t i = 0; i < limit; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) ++junk;
  }
  return junk * 50 > limit;  // over 2 %
}

}  // namespace

struct Cleaner::Impl {
  CleanerOptions options;
  // class/id tokens that mark page furniture rather than article text.
  RE2 furniture{R"((^|[\s_-])(nav|navbar|menu|footer|comments?|share|sharing|social|related|newsletter|subscribe|subscription|cookie|consent|banner|promo|sidebar|advert|advertisement|ads?|byline|author|caption|breadcrumbs?|tags|popup|modal|masthead|skip|widget|recommended|trending|most-read)([\s_-]|$))"};

  bool IsFurniture(const HtmlDom& dom, NodeId id) const {
    const auto& n = dom.node(id);
    if (IsJunkTag(n.tag)) return true;
    std::string hints;
    for (const auto& [k, v] : dom.Attributes(id)) {
      if (k == "class" || k == "id" || k == "role") {
        hints += v;
        hints += ' ';
      } else if (k == "hidden" || (k == "aria-hidden" && v == "true")) {
        return true;
      }
    }
    if (hints.empty()) return false;
    std::transform(hints.begin(), hints.end(), hints.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    if (hints.find("navigation") != std::string::npos || hints.find("complementary") != std::string::npos) return true;
    return RE2::PartialMatch(hints, furniture);
  }

  // Marks every node inside furniture, iteratively.
  std::vector<bool> MarkFurniture(const HtmlDom& dom) const {
    std::vector<bool> junk(dom.size(), false);
    for (NodeId id = 0; id < dom.size(); ++id) {
      const auto& n = dom.node(id);
      if (n.parent != HtmlDom::kNone && junk[n.parent]) {
        junk[id] = true;
      } else if (n.kind == HtmlDom::Kind::kElement && n.tag != "body" && n.tag != "html" && IsFurniture(dom, id)) {
        junk[id] = true;
      }
    }
    return junk;
  }

  // Readability-style scoring: each paragraph adds to its parent (fully) and grandparent (half).
  NodeId BestContainer(const HtmlDom& dom, const std::vector<bool>& junk) const {
    std::vector<double> score(dom.size(), 0.0);
    for (NodeId id = 0; id < dom.size(); ++id) {
      const auto& n = dom.node(id);
      if (junk[id] || n.kind != HtmlDom::Kind::kElement || !IsParagraphTag(n.tag)) continue;
      std::string text = CollapsedText(dom, id);
      if (text.size() < 25) continue;
      const size_t link_chars = LinkChars(dom, id);
      double link_density = text.empty() ? 1.0 : static_cast<double>(link_chars) / text.size();
      double s = (1.0 + std::count(text.begin(), text.end(), ',') + std::min<double>(text.size() / 100.0, 3.0)) *
                 (1.0 - std::min(link_density, 1.0));
      NodeId parent = n.parent;
      if (parent != HtmlDom::kNone) {
        score[parent] += s;
        NodeId grand = dom.node(parent).parent;
        if (grand != HtmlDom::kNone) score[grand] += s / 2;
      }
    }
    NodeId best = HtmlDom::kNone;
    for (NodeId id = 0; id < dom.size(); ++id) {
      if (score[id] > 0 && (best == HtmlDom::kNone || score[id] > score[best])) best = id;
    }
    return best;
  }

  // Paragraphs of the subtree under `scope`, furniture left out, in document order.
  std::vector<std::string> Paragraphs(const HtmlDom& dom, NodeId scope, const std::vector<bool>& junk) const {
    std::vector<std::string> paragraphs;
    std::string current;
    auto flush = [&] {
      std::string p = Trim(current);
      if (!p.empty()) paragraphs.push_back(std::move(p));
      current.clear();
    };
    // Iterative walk with explicit exit events for block elements.
    NodeId id = scope;
    std::vector<NodeId> open_blocks;
    while (id != HtmlDom::kNone) {
      const auto& n = dom.node(id);
      bool skip = junk[id] && id != scope;
      if (!skip) {
        if (n.kind == HtmlDom::Kind::kText) {
          AppendCollapsed(current, n.text);
        } else if (IsBlockTag(n.tag)) {
          flush();
        }
      }
      // Advance, noticing when we leave block elements.
      NodeId next;
      if (!skip && n.first_child != HtmlDom::kNone) {
        next = n.first_child;
      } else {
        NodeId up = id;
        next = HtmlDom::kNone;
        while (up != HtmlDom::kNone && up != scope) {
          if (dom.node(up).kind == HtmlDom::Kind::kElement && IsBlockTag(dom.node(up).tag)) flush();
          if (dom.node(up).next_sibling != HtmlDom::kNone) {
            next = dom.node(up).next_sibling;
            break;
          }
          up = dom.node(up).parent;
        }
      }
      id = next;
      if (current.size() > options.max_text_bytes) break;
    }
    flush();
    return paragraphs;
  }

  void ReadMetadata(const HtmlDom& dom, Article& a) const {
    JsonLd ld;
    std::string og_title, og_url, meta_published, meta_author, content_language;
    for (NodeId id = 0; id < dom.size(); ++id) {
      const auto& n = dom.node(id);
      if (n.kind != HtmlDom::Kind::kElement) continue;
      if (n.tag == "meta") {
        std::string key(dom.Attribute(id, "property"));
        if (key.empty()) key = dom.Attribute(id, "name");
        if (key.empty()) key = dom.Attribute(id, "itemprop");
        if (key.empty()) key = dom.Attribute(id, "http-equiv");
        std::transform(key.begin(), key.end(), key.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
        std::string content(dom.Attribute(id, "content"));
        if (content.empty()) continue;
        if (key == "og:title" && og_title.empty()) og_title = content;
        else if (key == "og:url" && og_url.empty()) og_url = content;
        else if (key == "author" && meta_author.empty()) meta_author = content;
        else if (key == "content-language" && content_language.empty()) content_language = content;
        else if (meta_published.empty() &&
                 IsOneOf(key, {"article:published_time", "datepublished", "pubdate", "publishdate",
                               "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
                               "parsely-pub-date", "sailthru.date", "article.published", "og:published_time"})) {
          meta_published = content;
        }
      } else if (n.tag == "script" && dom.Attribute(id, "type") == "application/ld+json") {
        auto j = nlohmann::json::parse(dom.TextContent(id), nullptr, /*allow_exceptions=*/false);
        if (!j.is_discarded()) ReadJsonLdObject(j, ld);
      } else if (n.tag == "link" && a.canonical_url.empty()) {
        std::string rel(dom.Attribute(id, "rel"));
        std::transform(rel.begin(), rel.end(), rel.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
        std::string href(dom.Attribute(id, "href"));
        if (rel == "canonical" && !href.empty()) a.canonical_url = {href, "link rel=canonical"};
      } else if (n.tag == "html" && a.language.empty()) {
        std::string lang = PrimaryLanguageTag(dom.Attribute(id, "lang"));
        if (!lang.empty()) a.language = {lang, "html lang"};
      }
    }
    if (a.canonical_url.empty() && !og_url.empty()) a.canonical_url = {og_url, "og:url"};

    if (!og_title.empty()) a.title = {Trim(og_title), "og:title"};
    else if (!ld.headline.empty()) a.title = {Trim(ld.headline), "json-ld:headline"};
    else if (auto h1 = dom.ElementsByTag("h1"); !h1.empty() && !CollapsedText(dom, h1[0]).empty())
      a.title = {CollapsedText(dom, h1[0]), "h1"};
    else if (auto t = dom.ElementsByTag("title"); !t.empty())
      a.title = {StripSiteName(CollapsedText(dom, t[0])), "<title>"};

    auto set_published = [&](const std::string& raw, const char* source) {
      if (!a.published.empty()) return;
      std::string iso = NormaliseIsoDate(raw);
      // Never a date after the document was fetched (a day of slack for time zones).
      if (!iso.empty() && (a.fetch_time == 0 || iso <= UnixToIsoDate(a.fetch_time + 86400))) a.published = {iso, source};
    };
    set_published(ld.date_published, "json-ld:datePublished");
    set_published(meta_published, "meta");
    if (a.published.empty()) {
      for (NodeId t : dom.ElementsByTag("time")) {
        set_published(std::string(dom.Attribute(t, "datetime")), "<time datetime>");
        if (!a.published.empty()) break;
      }
    }
    if (a.published.empty()) {
      static const RE2 kUrlDate(R"(/((?:19|20)\d{2})/(\d{2})/(\d{2})/)");
      std::string y, m, d;
      std::string url = a.canonical_url.empty() ? a.url : a.canonical_url.value;
      if (RE2::PartialMatch(url, kUrlDate, &y, &m, &d)) set_published(y + "-" + m + "-" + d, "url");
    }

    if (!ld.author.empty()) a.author = {ld.author, "json-ld:author"};
    else if (!meta_author.empty()) a.author = {meta_author, "meta author"};
    if (a.language.empty() && !content_language.empty()) {
      std::string lang = PrimaryLanguageTag(content_language);
      if (!lang.empty()) a.language = {lang, "content-language"};
    }
  }

  Result<Article> CleanHtml(const std::string& html, Article a) const {
    auto dom = HtmlDom::Parse(html, options.max_html_bytes);
    if (!dom.ok()) return dom.status().WithContext(a.origin);
    if (dom->limited_tags() > 0) {
      spdlog::debug("{}: nesting too deep for the parser: {} tags dropped or closed", a.origin, dom->limited_tags());
    }
    if (dom->unparsed_bytes() > 0) {
      spdlog::debug("{}: the last {} bytes of markup were not parsed (over {} bytes)", a.origin, dom->unparsed_bytes(),
                    options.max_html_bytes);
    }
    ReadMetadata(*dom, a);
    std::vector<bool> junk = MarkFurniture(*dom);
    std::vector<std::string> paragraphs;
    NodeId best = BestContainer(*dom, junk);
    if (best != HtmlDom::kNone) paragraphs = Paragraphs(*dom, best, junk);
    size_t chars = 0;
    for (const auto& p : paragraphs) chars += p.size();
    if (chars < 200) {
      // Too little for an article: fall back to every non-furniture block of the page.
      auto bodies = dom->ElementsByTag("body");
      NodeId scope = bodies.empty() ? dom->root() : bodies[0];
      auto all = Paragraphs(*dom, scope, junk);
      if (!all.empty()) paragraphs = std::move(all);
    }
    // A title repeated as the first paragraph is not body text.
    if (!paragraphs.empty() && paragraphs.front() == a.title.value) paragraphs.erase(paragraphs.begin());
    a.text = Join(paragraphs);
    return a;
  }

  Result<Article> CleanText(const std::string& text, Article a) const {
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t eol = text.find('\n', pos);
      if (eol == std::string::npos) eol = text.size();
      std::string line;
      AppendCollapsed(line, std::string_view(text).substr(pos, eol - pos));
      line = Trim(line);
      if (!line.empty()) lines.push_back(std::move(line));
      pos = eol + 1;
    }
    // A short first line without final punctuation is the headline.
    if (lines.size() > 1 && lines[0].size() < 200 && !std::ispunct(static_cast<unsigned char>(lines[0].back()))) {
      a.title = {lines[0], "first line"};
      lines.erase(lines.begin());
      if (!lines.empty() && lines[0] == a.title.value) lines.erase(lines.begin());
    }
    a.text = Join(lines);
    return a;
  }

  std::string Join(const std::vector<std::string>& paragraphs) const {
    std::string text;
    for (const auto& p : paragraphs) {
      if (!text.empty()) text += "\n\n";
      text += p;
      if (text.size() > options.max_text_bytes) break;
    }
    return text;
  }
};

Cleaner::Cleaner(CleanerOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = options; }
Cleaner::~Cleaner() = default;

Result<Article> Cleaner::Process(const RawDoc& doc) const {
  Article a;
  a.url = doc.url;
  a.id = ArticleIdForUrl(doc.url);
  a.origin = doc.origin.empty() ? doc.url : doc.origin;
  a.fetch_time = doc.fetch_time;
  if (doc.bytes.empty()) return Status::InvalidArgument(a.origin + ": empty document");
  const bool html = doc.content_type.find("html") != std::string::npos;
  DecodedText decoded = DecodeToUtf8(doc.bytes, doc.charset, html);
  if (LooksBinary(doc.bytes, decoded.charset)) {
    return Status::InvalidArgument(a.origin + ": binary data, not a text or HTML document");
  }
  a.charset = decoded.charset;
  a.charset_source = decoded.source;
  if (!decoded.ignored_label.empty()) {
    spdlog::debug("{}: labelled {} but the bytes say otherwise; read as {}", a.origin, decoded.ignored_label, decoded.charset);
  }
  if (decoded.replaced > 0) {
    spdlog::debug("{}: {} invalid {} sequences replaced by U+FFFD", a.origin, decoded.replaced, decoded.charset);
  }
  Result<Article> result = html ? impl_->CleanHtml(decoded.utf8, std::move(a)) : impl_->CleanText(decoded.utf8, std::move(a));
  if (!result.ok()) return result;
  Article& out = result.value();
  if (out.language.empty()) {
    std::string lang = GuessLanguage(out.text);
    if (!lang.empty()) out.language = {lang, "stopwords"};
  }
  if (out.text.empty()) return Status::InvalidArgument(out.origin + ": no article text found");
  out.content_hash = Hash64(out.text);
  return result;
}

}  // namespace tw
