// Discovery: the article links in a fetched feed (RSS 2.0, RSS 1.0, Atom 1.0), sitemap, sitemap
// index, Google News sitemap, or listing page. XML goes through a real parser (pugixml); every link
// is resolved against the document (RFC 3986, honouring xml:base and <base href>) and returned in
// canonical form (CanonicalUrl), deduplicated, in document order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"

namespace re2 {
class RE2;
}

namespace tw {

struct Discovered {
  std::string format;                  // "rss", "rdf", "atom", "sitemap", "sitemapindex", "html"
  std::vector<std::string> articles;   // canonical article URLs
  std::vector<std::string> sitemaps;   // canonical child sitemap URLs (from a sitemap index)
  std::vector<std::string> warnings;   // e.g. the XML was broken part-way: links before the break are kept
};

// Links of a feed or sitemap fetched from `url`; the format is told by the root element, whatever
// the source file called it. Not XML, or XML of another kind, is kInvalidArgument naming `url`.
Result<Discovered> DiscoverInXml(std::string_view body, const std::string& url);

// Links (<a href>) of an HTML listing page fetched from `url` whose canonical form matches
// `links` somewhere (RE2 partial match), e.g. "/press/\d{4}/".
Result<Discovered> DiscoverInPage(const std::string& body, const std::string& url, const std::string& charset,
                                  const re2::RE2& links);

}  // namespace tw
