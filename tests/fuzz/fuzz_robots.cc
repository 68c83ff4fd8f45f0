// Fuzz target: robots.txt parsing and matching (pipeline/robots.h). The input is a robots.txt
// body; an optional first line of up to 64 bytes starting with '/' is a path to check besides a
// few fixed ones. Parsing never fails; a Crawl-delay it keeps must be usable by the scheduler.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/robots.h"
#include "pipeline/url.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = tw::fuzz::Bytes(data, size);
  auto [head, body] = tw::fuzz::SplitHead(input, 64);
  if (head.empty() || head[0] != '/') body = input;
  for (const char* agent : {"twinwatch", "*"}) {
    const tw::RobotsRules rules = tw::RobotsRules::Parse(body, agent);
    if (auto delay = rules.crawl_delay_seconds()) FUZZ_CHECK(std::isfinite(*delay) && *delay >= 0);
    FUZZ_CHECK(rules.Allowed("/robots.txt"));  // RFC 9309 section 2.2.2
    for (const std::string path : {"/", "/news/2024/lyon-kyoto.html", "/a%2Fb?q=1&utm_source=x", "/%E4%B8%AD"}) {
      rules.Allowed(path);
    }
    if (!head.empty() && head[0] == '/') rules.Allowed(tw::NormalizePercentEncoding(head));
  }
  return 0;
}
