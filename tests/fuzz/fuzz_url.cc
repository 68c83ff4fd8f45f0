// Fuzz target: URL parsing, resolution and canonical form (pipeline/url.h). The input is a base URL
// and a reference on two lines (a single line is both). The canonical form is what the crawler dedups
// and keys its state by, so it must be a fixed point, and a canonical URL must parse again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/url.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = tw::fuzz::Bytes(data, size);
  const size_t nl = input.find('\n');
  const std::string base = input.substr(0, nl);
  const std::string reference = nl == std::string::npos ? base : input.substr(nl + 1);

  if (auto parsed = tw::ParseUrl(reference)) {
    auto again = tw::ParseUrl(parsed->ToString());
    FUZZ_CHECK(again.has_value() && again->ToString() == parsed->ToString());
  }
  const std::string normal = tw::NormalizePercentEncoding(reference);
  FUZZ_CHECK(tw::NormalizePercentEncoding(normal) == normal);

  for (const std::string& candidate : {base, reference}) {
    auto canonical = tw::CanonicalUrl(candidate);
    if (!canonical) continue;
    FUZZ_CHECK(tw::ParseUrl(*canonical).has_value());
    auto twice = tw::CanonicalUrl(*canonical);
    FUZZ_CHECK(twice.has_value() && *twice == *canonical);
    tw::HostKey(*canonical);
    tw::PathAndQuery(*canonical);
    tw::FilePathFromUrl(*canonical);
  }
  if (auto link = tw::CanonicalLink(base, reference)) {
    auto twice = tw::CanonicalUrl(*link);
    FUZZ_CHECK(twice.has_value() && *twice == *link);
  }
  return 0;
}
