#include "pipeline/discovery.h"

#include <pugixml.hpp>
#include <re2/re2.h>

#include <unordered_set>

#include "pipeline/charset.h"
#include "pipeline/html_dom.h"
#include "pipeline/url.h"

namespace tw {

namespace {

// Element names without their namespace prefix: feeds spell the same element "link", "atom:link"
// or "a10:link" depending on the generator.
std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::vector<pugi::xml_node> ChildrenNamed(const pugi::xml_node& parent, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && LocalName(child) == local) out.push_back(child);
  }
  return out;
}

pugi::xml_node FirstChildNamed(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && LocalName(child) == local) return child;
  }
  return {};
}

// The base URL in effect at `node`: the document URL, changed by every xml:base from the root
// down (Atom relies on it; RSS feeds sometimes carry it too).
std::string BaseAt(const pugi::xml_node& node, const std::string& document_url) {
  std::vector<std::string_view> bases;
  for (pugi::xml_node n = node; n; n = n.parent()) {
    if (n.type() != pugi::node_element) continue;
    const pugi::xml_attribute base = n.attribute("xml:base");
    if (base) bases.push_back(base.value());
  }
  std::string url = document_url;
  for (auto it = bases.rbegin(); it != bases.rend(); ++it) {
    if (auto resolved = ResolveUrl(url, *it)) url = *resolved;
  }
  return url;
}

// Collects canonical links once each, in the order first seen.
class LinkSet {
 public:
  void Add(const std::string& base, std::string_view reference, std::vector<std::string>& into) {
    if (reference.empty()) return;
    auto canonical = CanonicalLink(base, reference);
    if (!canonical) return;
    if (seen_.insert(*canonical).second) into.push_back(std::move(*canonical));
  }

 private:
  std::unordered_set<std::string> seen_;
};

void RssItems(const pugi::xml_node& items_parent, const std::string& url, LinkSet& links, Discovered& out) {
  for (const auto& item : ChildrenNamed(items_parent, "item")) {
    std::string_view link = FirstChildNamed(item, "link").text().get();
    if (link.empty()) {
      // Without <link>, a <guid> that is a permalink is the article's address.
      const pugi::xml_node guid = FirstChildNamed(item, "guid");
      if (guid && std::string_view(guid.attribute("isPermaLink").as_string("true")) != "false") link = guid.text().get();
    }
    links.Add(BaseAt(item, url), link, out.articles);
  }
}

void AtomEntries(const pugi::xml_node& feed, const std::string& url, LinkSet& links, Discovered& out) {
  for (const auto& entry : ChildrenNamed(feed, "entry")) {
    // The entry's alternate link (rel absent means alternate); an HTML one when there are several.
    pugi::xml_node chosen;
    for (const auto& link : ChildrenNamed(entry, "link")) {
      const std::string_view rel = link.attribute("rel").as_string("alternate");
      if (rel != "alternate" || !link.attribute("href")) continue;
      const std::string_view type = link.attribute("type").as_string();
      if (!chosen || type == "text/html") chosen = link;
      if (type == "text/html") break;
    }
    if (chosen) links.Add(BaseAt(chosen, url), chosen.attribute("href").value(), out.articles);
  }
}

}  // namespace

Result<Discovered> DiscoverInXml(std::string_view body, const std::string& url) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_auto);
  const pugi::xml_node root = doc.document_element();
  if (!root) {
    return Status::InvalidArgument(url + ": not a feed or sitemap: " +
                                   (parsed ? std::string("no root element") : std::string("not XML (") + parsed.description() + ")"));
  }
  Discovered out;
  if (!parsed) {
    // pugixml keeps what it parsed before the error: real feeds break near the end (a stray '&').
    out.warnings.push_back(url + ": XML broken at byte " + std::to_string(parsed.offset) + " (" + parsed.description() +
                           "); using the links before it");
  }
  LinkSet links;
  const std::string_view kind = LocalName(root);
  if (kind == "rss") {
    out.format = "rss";
    for (const auto& channel : ChildrenNamed(root, "channel")) RssItems(channel, url, links, out);
  } else if (kind == "RDF") {
    out.format = "rdf";  // RSS 1.0: items are children of the root
    RssItems(root, url, links, out);
  } else if (kind == "feed") {
    out.format = "atom";
    AtomEntries(root, url, links, out);
  } else if (kind == "urlset") {
    out.format = "sitemap";  // plain and Google News sitemaps alike: <url><loc>
    for (const auto& entry : ChildrenNamed(root, "url")) links.Add(url, FirstChildNamed(entry, "loc").text().get(), out.articles);
  } else if (kind == "sitemapindex") {
    out.format = "sitemapindex";
    for (const auto& entry : ChildrenNamed(root, "sitemap")) links.Add(url, FirstChildNamed(entry, "loc").text().get(), out.sitemaps);
  } else {
    return Status::InvalidArgument(url + ": not a feed or sitemap (root element <" + std::string(root.name()) +
                                   ">; expected rss, RDF, feed, urlset or sitemapindex)");
  }
  return out;
}

Result<Discovered> DiscoverInPage(const std::string& body, const std::string& url, const std::string& charset,
                                  const re2::RE2& pattern) {
  const DecodedText decoded = DecodeToUtf8(body, charset, /*html=*/true);
  auto dom = HtmlDom::Parse(decoded.utf8);
  if (!dom.ok()) return dom.status().WithContext(url);
  Discovered out;
  out.format = "html";
  std::string base = url;
  for (HtmlDom::NodeId id : dom->ElementsByTag("base")) {
    const std::string_view href = dom->Attribute(id, "href");
    if (href.empty()) continue;
    if (auto resolved = ResolveUrl(url, href)) base = *resolved;
    break;  // only the first <base href> counts
  }
  LinkSet links;
  std::vector<std::string> all;
  for (HtmlDom::NodeId id : dom->ElementsByTag("a")) links.Add(base, dom->Attribute(id, "href"), all);
  for (auto& link : all) {
    if (RE2::PartialMatch(link, pattern)) out.articles.push_back(std::move(link));
  }
  return out;
}

}  // namespace tw
