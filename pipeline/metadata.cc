#include "pipeline/metadata.h"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string_view>
#include <unordered_map>

#include "pipeline/page_dates.h"
#include "pipeline/plain_text.h"
#include "pipeline/url.h"

namespace tw {

namespace {

using NodeId = HtmlDom::NodeId;
using Json = nlohmann::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && Lower(a) == Lower(b);
}

bool LooksLikeUrl(std::string_view s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0 || s.rfind("//", 0) == 0 || s.rfind("/", 0) == 0;
}

// "en-GB", "fr_FR", "de" -> "en", "fr", "de"; empty when it is not a language tag.
std::string PrimaryLanguageTag(std::string_view lang) {
  std::string out;
  for (char c : TrimSpaces(lang)) {
    if (c == '-' || c == '_') break;
    if (!std::isalpha(static_cast<unsigned char>(c))) return {};
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out.size() >= 2 && out.size() <= 3 ? out : std::string();
}

// What the JSON-LD blocks say about the article.
struct JsonLdFacts {
  std::string headline, date_published, date_created, url, language, article_body, publisher;
  std::vector<std::string> authors;
};

bool IsArticleType(const Json& type) {
  auto article = [](const std::string& t) {
    return t.find("Article") != std::string::npos || t == "BlogPosting" || t == "LiveBlogPosting" || t == "Report" ||
           t == "SocialMediaPosting" || t == "Review" || t == "TechArticle";
  };
  if (type.is_string()) return article(type.get<std::string>());
  if (type.is_array()) {
    for (const auto& t : type) {
      if (t.is_string() && article(t.get<std::string>())) return true;
    }
  }
  return false;
}

std::string StringField(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return FoldSpaces(it->get<std::string>());
  if (it->is_object()) {
    for (const char* inner : {"@id", "name", "url", "@value"}) {
      auto in = it->find(inner);
      if (in != it->end() && in->is_string()) return FoldSpaces(in->get<std::string>());
    }
  }
  if (it->is_array() && !it->empty() && it->front().is_string()) return FoldSpaces(it->front().get<std::string>());
  return {};
}

void AddAuthors(const Json& a, std::vector<std::string>& out) {
  if (a.is_array()) {
    for (const auto& item : a) {
      if (!item.is_array()) AddAuthors(item, out);
    }
    return;
  }
  std::string name;
  if (a.is_string()) name = FoldSpaces(a.get<std::string>());
  else if (a.is_object() && a.contains("name") && a["name"].is_string()) name = FoldSpaces(a["name"].get<std::string>());
  if (!name.empty() && !LooksLikeUrl(name) && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
}

// Collects facts from a parsed JSON-LD value (depth is bounded by the parser callback).
void ReadJsonLd(const Json& j, JsonLdFacts& out) {
  if (j.is_array()) {
    for (const auto& item : j) ReadJsonLd(item, out);
    return;
  }
  if (!j.is_object()) return;
  if (auto graph = j.find("@graph"); graph != j.end()) ReadJsonLd(*graph, out);
  if (auto main = j.find("mainEntity"); main != j.end() && main->is_object()) ReadJsonLd(*main, out);
  auto type = j.find("@type");
  const bool article = type != j.end() && IsArticleType(*type);
  const bool page = type != j.end() && type->is_string() && type->get<std::string>().find("WebPage") != std::string::npos;
  if (!article && !page) return;
  auto take = [&](std::string& field, const char* key) {
    if (field.empty()) field = StringField(j, key);
  };
  if (article) {
    take(out.headline, "headline");
    take(out.date_published, "datePublished");
    take(out.date_created, "dateCreated");
    take(out.url, "url");
    take(out.url, "mainEntityOfPage");
    take(out.language, "inLanguage");
    take(out.publisher, "publisher");
    if (out.article_body.empty()) {
      auto body = j.find("articleBody");
      if (body != j.end() && body->is_string()) out.article_body = body->get<std::string>();
    }
    if (out.authors.empty()) {
      if (auto a = j.find("author"); a != j.end()) AddAuthors(*a, out.authors);
    }
  } else {
    // A WebPage's date is the page's, a weaker clue than an article's.
    take(out.date_created, "datePublished");
    take(out.language, "inLanguage");
  }
}

JsonLdFacts ReadJsonLdBlocks(const HtmlDom& dom) {
  JsonLdFacts facts;
  for (NodeId id : dom.ElementsByTag("script")) {
    if (Lower(dom.Attribute(id, "type")).find("ld+json") == std::string::npos) continue;
    std::string text = dom.TextContent(id);
    // Raw line breaks and tabs inside strings are invalid JSON but common; as spaces they are harmless.
    for (auto& c : text) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    // Nothing we read is deeper than a few levels: deeper values are dropped as they are parsed.
    const Json::parser_callback_t shallow = [](int depth, Json::parse_event_t, Json&) { return depth <= 24; };
    Json j = Json::parse(text, shallow, /*allow_exceptions=*/false);
    if (!j.is_discarded()) ReadJsonLd(j, facts);
  }
  return facts;
}

// Meta tags by lowercase key (property, name, itemprop or http-equiv): the first content of each.
std::unordered_map<std::string, std::string> ReadMetaTags(const HtmlDom& dom) {
  std::unordered_map<std::string, std::string> meta;
  for (NodeId id : dom.ElementsByTag("meta")) {
    const std::string content = FoldSpaces(dom.Attribute(id, "content"));
    if (content.empty()) continue;
    for (const char* attr : {"property", "name", "itemprop", "http-equiv"}) {
      const std::string_view key = dom.Attribute(id, attr);
      if (!key.empty()) meta.emplace(Lower(TrimSpaces(key)), content);
    }
  }
  return meta;
}

std::string Meta(const std::unordered_map<std::string, std::string>& meta, std::string_view key) {
  auto it = meta.find(std::string(key));
  return it == meta.end() ? std::string() : it->second;
}

// The text of an element, whitespace folded.
std::string Text(const HtmlDom& dom, NodeId id) { return FoldSpaces(dom.TextContent(id)); }

bool InsideTag(const HtmlDom& dom, NodeId id, std::initializer_list<std::string_view> tags) {
  for (NodeId a = dom.node(id).parent; a != HtmlDom::kNone; a = dom.node(a).parent) {
    if (std::find(tags.begin(), tags.end(), dom.node(a).tag) != tags.end()) return true;
  }
  return false;
}

// True when the element or an ancestor near it names itself an update ("updated", "modified").
bool MarkedAsUpdate(const HtmlDom& dom, NodeId id) {
  NodeId a = id;
  for (int level = 0; level < 3 && a != HtmlDom::kNone; ++level, a = dom.node(a).parent) {
    for (const char* attr : {"class", "itemprop", "id"}) {
      const std::string v = Lower(dom.Attribute(a, attr));
      if (v.find("updat") != std::string::npos || v.find("modif") != std::string::npos) return true;
    }
  }
  return false;
}

// "Updated 1 February 2024", "Aktualisiert am ...": a modified date, not a publication date.
bool SaysUpdated(std::string_view text) {
  const std::string lower = Lower(text);
  for (const char* word : {"updat", "modif", "aktualisiert", "mis à jour", "actualiz", "aggiornat", "bijgewerkt"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

class MetadataReader {
 public:
  MetadataReader(const HtmlDom& dom, const std::string& page_url, int64_t fetch_time)
      : dom_(dom), page_url_(page_url), latest_(fetch_time > 0 ? IsoDateOfUnixTime(fetch_time + 86400) : "") {}

  PageMetadata Read() {
    meta_ = ReadMetaTags(dom_);
    ld_ = ReadJsonLdBlocks(dom_);
    PageMetadata m;
    m.site_name = Meta(meta_, "og:site_name");
    if (m.site_name.empty()) m.site_name = Meta(meta_, "application-name");
    if (m.site_name.empty()) m.site_name = ld_.publisher;
    m.article_body = ld_.article_body;
    m.title = Title(m.site_name);
    m.canonical_url = Canonical();  // before the date: a date in its path is a clue
    m.published = Published();
    m.author = Author();
    m.language = Language();
    return m;
  }

 private:
  SourcedValue Title(const std::string& site) const {
    auto usable = [&](const std::string& t) { return !t.empty() && !EqualsIgnoringCase(t, site); };
    for (const char* key : {"og:title", "twitter:title"}) {
      const std::string t = StripSiteName(Meta(meta_, key), site);
      if (usable(t)) return {t, key};
    }
    if (usable(ld_.headline)) return {ld_.headline, "json-ld:headline"};
    for (NodeId h1 : dom_.ElementsByTag("h1")) {
      const std::string t = Text(dom_, h1);
      // A site's logo is often an <h1> in the page header.
      if (usable(t) && !InsideTag(dom_, h1, {"header", "nav", "footer", "aside"})) return {t, "h1"};
    }
    for (NodeId title : dom_.ElementsByTag("title")) {
      if (InsideTag(dom_, title, {"svg"})) continue;
      const std::string full = Text(dom_, title);
      const std::string headline = HeadingPart(full);
      const std::string t = headline.empty() ? StripSiteName(full, site) : headline;
      if (usable(t)) return {t, "<title>"};
    }
    return {};
  }

  // The part of "Site :: Headline" that the page also shows as a heading, or empty.
  std::string HeadingPart(const std::string& title) const {
    std::vector<std::string> headings;
    for (NodeId id = 0; id < dom_.size() && headings.size() < 200; ++id) {
      const auto& n = dom_.node(id);
      if (n.kind == HtmlDom::Kind::kElement &&
          (n.tag == "h1" || n.tag == "h2" || n.tag == "h3" || n.tag == "b" || n.tag == "strong")) {
        headings.push_back(Lower(Text(dom_, id)));
      }
    }
    for (const std::string& part : TitleParts(title)) {
      if (std::find(headings.begin(), headings.end(), Lower(part)) != headings.end()) return part;
    }
    return {};
  }

  // The date in `raw`, unless it lies after the fetch (a day of slack for time zones).
  std::string Date(std::string_view raw) const {
    std::string iso = FindDate(raw);
    if (!iso.empty() && !latest_.empty() && iso > latest_) return {};
    return iso;
  }

  SourcedValue Published() const {
    if (auto d = Date(ld_.date_published); !d.empty()) return {d, "json-ld:datePublished"};
    for (const char* key : {"article:published_time", "og:published_time", "article:published", "datepublished",
                            "publishdate", "publish-date", "publish_date", "pubdate", "parsely-pub-date",
                            "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
                            "dcterms.created", "dc.date.created", "article.published", "date", "citation_publication_date",
                            "citation_date", "originalpublicationdate", "date_published", "published_time",
                            "release_date", "article_date_original", "cxenseparse:recs:publishtime"}) {
      if (auto d = Date(Meta(meta_, key)); !d.empty()) return {d, std::string("meta ") + key};
    }
    for (NodeId id = 0; id < dom_.size(); ++id) {
      if (dom_.node(id).kind != HtmlDom::Kind::kElement || dom_.Attribute(id, "itemprop") != "datePublished") continue;
      for (std::string_view raw : {dom_.Attribute(id, "content"), dom_.Attribute(id, "datetime")}) {
        if (auto d = Date(raw); !d.empty()) return {d, "itemprop=datePublished"};
      }
      if (auto d = Date(Text(dom_, id)); !d.empty()) return {d, "itemprop=datePublished"};
    }
    if (auto d = Date(ld_.date_created); !d.empty()) return {d, "json-ld:dateCreated"};
    for (NodeId t : dom_.ElementsByTag("time")) {
      if (MarkedAsUpdate(dom_, t)) continue;
      const std::string_view datetime = dom_.Attribute(t, "datetime");
      if (auto d = Date(datetime.empty() ? std::string_view(Text(dom_, t)) : datetime); !d.empty()) {
        return {d, "<time datetime>"};
      }
    }
    if (auto url = UrlDate(); !url.empty()) return url;
    return VisibleDate();
  }

  // A short element that calls itself a date, dateline or byline ("Posted April 25, 2023").
  SourcedValue VisibleDate() const {
    for (NodeId id = 0; id < dom_.size(); ++id) {
      if (dom_.node(id).kind != HtmlDom::Kind::kElement) continue;
      const std::string names = Lower(std::string(dom_.Attribute(id, "class")) + " " + std::string(dom_.Attribute(id, "id")));
      if (names.size() < 3) continue;
      bool dateish = false;
      for (const char* word : {"date", "time", "publish", "posted", "byline", "meta"}) {
        dateish |= names.find(word) != std::string::npos;
      }
      if (!dateish || MarkedAsUpdate(dom_, id)) continue;
      const std::string text = Text(dom_, id);
      if (text.size() > 160 || SaysUpdated(text)) continue;
      if (auto d = Date(text); !d.empty()) return {d, "dateline"};
    }
    return {};
  }

  SourcedValue UrlDate() const {
    static const RE2 kDay(R"(/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|-|_|\.|$))");
    static const RE2 kMonth(R"(/((?:19|20)\d{2})/(0[1-9]|1[0-2])/)");
    std::string y, m, d;
    for (const std::string& url : {canonical_for_date_, page_url_}) {
      if (url.empty()) continue;
      if (RE2::PartialMatch(url, kDay, &y, &m, &d)) {
        if (auto iso = Date(y + "-" + m + "-" + d); !iso.empty()) return {iso, "url"};
      }
      if (RE2::PartialMatch(url, kMonth, &y, &m)) {
        const std::string month = y + "-" + m;
        if (latest_.empty() || month <= latest_.substr(0, 7)) return {month, "url"};
      }
    }
    return {};
  }

  SourcedValue Author() const {
    if (!ld_.authors.empty()) return {Join(ld_.authors), "json-ld:author"};
    for (const char* key : {"author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                            "dcterms.creator", "byl", "twitter:creator"}) {
      std::string a = Meta(meta_, key);
      if (std::string_view(key) == "byl" && Lower(a).rfind("by ", 0) == 0) a = a.substr(3);
      if (!a.empty() && !LooksLikeUrl(a) && a.front() != '@') return {a, std::string("meta ") + key};
    }
    std::vector<std::string> names;
    for (NodeId id = 0; id < dom_.size() && names.size() < 5; ++id) {
      if (dom_.node(id).kind != HtmlDom::Kind::kElement || dom_.Attribute(id, "itemprop") != "author") continue;
      std::string name(dom_.Attribute(id, "content"));
      if (name.empty()) {
        // <span itemprop="author"><span itemprop="name">A. Writer</span></span>
        for (NodeId d = dom_.NextInOrder(id, id); d != HtmlDom::kNone && name.empty(); d = dom_.NextInOrder(d, id)) {
          if (dom_.node(d).kind == HtmlDom::Kind::kElement && dom_.Attribute(d, "itemprop") == "name") name = Text(dom_, d);
        }
        if (name.empty()) name = Text(dom_, id);
      }
      name = FoldSpaces(name);
      if (!name.empty() && name.size() < 80 && std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
    if (!names.empty()) return {Join(names), "itemprop=author"};
    return {};
  }

  static std::string Join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
      if (!out.empty()) out += ", ";
      out += n;
    }
    return out;
  }

  // An absolute http(s) URL for `href`, resolved against the page when relative.
  std::string Absolute(std::string_view href) const {
    const std::string_view h = TrimSpaces(href);
    if (h.empty()) return {};
    std::optional<std::string> url;
    if (h.rfind("http://", 0) == 0 || h.rfind("https://", 0) == 0) url = std::string(h);
    else if (page_url_.rfind("http", 0) == 0) url = ResolveUrl(page_url_, h);
    if (!url || (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0)) return {};
    return *url;
  }

  SourcedValue Canonical() {
    SourcedValue found;
    for (NodeId id : dom_.ElementsByTag("link")) {
      const std::string rel = Lower(dom_.Attribute(id, "rel"));
      if (rel != "canonical" && rel.find("canonical") == std::string::npos) continue;
      if (auto url = Absolute(dom_.Attribute(id, "href")); !url.empty()) {
        found = {url, "link rel=canonical"};
        break;
      }
    }
    if (found.empty()) {
      if (auto url = Absolute(Meta(meta_, "og:url")); !url.empty()) found = {url, "og:url"};
    }
    if (found.empty()) {
      if (auto url = Absolute(ld_.url); !url.empty()) found = {url, "json-ld:url"};
    }
    canonical_for_date_ = found.value;
    return found;
  }

  SourcedValue Language() const {
    for (NodeId id : dom_.ElementsByTag("html")) {
      for (const char* attr : {"lang", "xml:lang"}) {
        if (auto l = PrimaryLanguageTag(dom_.Attribute(id, attr)); !l.empty()) return {l, "html lang"};
      }
    }
    if (auto l = PrimaryLanguageTag(Meta(meta_, "content-language")); !l.empty()) return {l, "content-language"};
    if (auto l = PrimaryLanguageTag(Meta(meta_, "og:locale")); !l.empty()) return {l, "og:locale"};
    if (auto l = PrimaryLanguageTag(ld_.language); !l.empty()) return {l, "json-ld:inLanguage"};
    return {};
  }

  const HtmlDom& dom_;
  const std::string& page_url_;
  const std::string latest_;  // the latest acceptable date, or empty
  std::unordered_map<std::string, std::string> meta_;
  JsonLdFacts ld_;
  std::string canonical_for_date_;
};

}  // namespace

std::string StripSiteName(const std::string& title, const std::string& site_name) {
  static constexpr std::string_view kSeparators[] = {" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " • ", " / ", ": "};
  const std::string t = FoldSpaces(title);
  if (!site_name.empty()) {
    const std::string lower = Lower(t), site = Lower(FoldSpaces(site_name));
    for (auto sep : kSeparators) {
      const std::string suffix = std::string(sep) + site;
      if (lower.size() > suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return std::string(TrimSpaces(t.substr(0, t.size() - suffix.size())));
      }
      const std::string prefix = site + std::string(sep);
      if (lower.size() > prefix.size() && lower.compare(0, prefix.size(), prefix) == 0) {
        return std::string(TrimSpaces(t.substr(prefix.size())));
      }
    }
    return t;
  }
  // No site name known: the longest part between separators is the headline.
  const std::vector<std::string> parts = TitleParts(t);
  return *std::max_element(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
}

std::vector<std::string> TitleParts(const std::string& title) {
  const std::string t = FoldSpaces(title);
  for (auto sep : {" | ", " - ", " – ", " — ", " :: ", " » ", " · "}) {
    std::vector<std::string> parts;
    size_t start = 0, pos;
    while ((pos = t.find(sep, start)) != std::string::npos) {
      parts.emplace_back(TrimSpaces(std::string_view(t).substr(start, pos - start)));
      start = pos + std::string_view(sep).size();
    }
    parts.emplace_back(TrimSpaces(std::string_view(t).substr(start)));
    if (parts.size() >= 2) return parts;
  }
  return {t};
}

PageMetadata ReadPageMetadata(const HtmlDom& dom, const std::string& page_url, int64_t fetch_time) {
  return MetadataReader(dom, page_url, fetch_time).Read();
}

std::string DatelineDate(const std::vector<std::string>& lines, int64_t fetch_time) {
  const std::string latest = fetch_time > 0 ? IsoDateOfUnixTime(fetch_time + 86400) : "";
  for (const std::string& line : lines) {
    // A dateline is a short line, or the start of the first paragraph ("BERLIN, Nov. 18, 2019 —").
    const std::string_view p = std::string_view(line).substr(0, 120);
    if (SaysUpdated(p)) continue;
    std::string iso = FindDate(p);
    if (!iso.empty() && (latest.empty() || iso <= latest)) return iso;
  }
  return {};
}

}  // namespace tw
