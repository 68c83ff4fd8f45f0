#include "pipeline/types.h"

#include <xxhash.h>

#include <cstdio>

namespace tw {

uint64_t Hash64(const std::string& bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

std::string Hex64(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return std::string(buf, 16);
}

std::string ArticleIdForUrl(const std::string& url) { return Hex64(Hash64(url)); }

}  // namespace tw
