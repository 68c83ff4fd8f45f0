// Fuzz target: link discovery in feeds, sitemaps and listing pages (pipeline/discovery.h). The input
// is a fetched body, read both as XML (RSS, Atom, sitemap, sitemap index) and as an HTML listing
// page. Every link that comes out must be an absolute URL in canonical form, as the crawler keys
// its state by that form.
#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/discovery.h"
#include "pipeline/url.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

const char kUrl[] = "https://news.example/feeds/city.xml";

void CheckLinks(const tw::Discovered& found) {
  FUZZ_CHECK(!found.format.empty());
  for (const auto* list : {&found.articles, &found.sitemaps}) {
    for (const auto& link : *list) {
      auto canonical = tw::CanonicalUrl(link);
      FUZZ_CHECK(canonical.has_value() && *canonical == link);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const re2::RE2 links(R"(/(news|press)/)");
  const std::string body = tw::fuzz::Bytes(data, size);
  auto xml = tw::DiscoverInXml(body, kUrl);
  if (xml.ok()) CheckLinks(*xml);
  else FUZZ_CHECK(xml.status().message().find(kUrl) != std::string::npos);
  auto page = tw::DiscoverInPage(body, kUrl, "", links);
  if (page.ok()) CheckLinks(*page);
  else FUZZ_CHECK(page.status().message().find(kUrl) != std::string::npos);
  return 0;
}
