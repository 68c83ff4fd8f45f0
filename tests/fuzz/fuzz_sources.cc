// Fuzz target: the crawler's sources file (pipeline/sources.h): TOML, durations, URLs, RE2 link
// patterns. The input is a sources file, handed over as an in-memory file (memfd). A file that
// loads must hold usable settings; one that does not must fail naming the file ("FILE:LINE: ...").
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/sources.h"
#include "pipeline/url.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Durations are parsed on their own too: the first line, when short.
  auto [head, body] = tw::fuzz::SplitHead(tw::fuzz::Bytes(data, size), 32);
  if (auto seconds = tw::ParseDuration(head); seconds.ok()) FUZZ_CHECK(std::isfinite(*seconds) && *seconds >= 0);

  const int fd = memfd_create("fuzz-sources", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(::write(fd, data, size) == static_cast<ssize_t>(size));
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  auto file = tw::LoadSourcesFile(path);
  ::close(fd);
  if (!file.ok()) {
    FUZZ_CHECK(file.status().message().rfind(path, 0) == 0);
    return 0;
  }
  const tw::CrawlerSettings& c = file->crawler;
  FUZZ_CHECK(c.concurrency > 0 && c.max_attempts > 0);
  for (double seconds : {c.per_host_delay_seconds, c.connect_timeout_seconds, c.timeout_seconds,
                         c.retry_backoff_seconds, c.max_retry_wait_seconds}) {
    FUZZ_CHECK(std::isfinite(seconds) && seconds >= 0);
  }
  for (const auto& s : file->sources) {
    FUZZ_CHECK(!s.name.empty());
    FUZZ_CHECK(std::isfinite(s.every_seconds) && s.every_seconds >= 0);
    auto canonical = tw::CanonicalUrl(s.url);
    FUZZ_CHECK(canonical.has_value() && *canonical == s.url);
    FUZZ_CHECK(s.kind != tw::SourceKind::kPage || (s.links_re != nullptr));
  }
  return 0;
}
