// Fuzz target: the event-rule file loader (extractors/events.h): TOML parsing, {NAME} expansion and
// RE2 compilation. The input is a rules file; it is handed to the loader through an in-memory file
// (memfd), so no disk is touched. A file that loads is matched against a few sentences; a file that
// does not must fail with a message naming the file and line ("FILE:LINE: message").
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "extractors/events.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

tw::CityMention City(const std::string& sentence, const std::string& name, int64_t geonameid) {
  tw::CityMention c;
  c.start = sentence.find(name);
  c.end = c.start + name.size();
  c.text = name;
  c.place.name = name;
  c.place.geonameid = geonameid;
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = memfd_create("fuzz-rules", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(::write(fd, data, size) == static_cast<ssize_t>(size));
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  auto rules = tw::EventRules::Load(path);
  ::close(fd);
  if (!rules.ok()) {
    FUZZ_CHECK(rules.status().message().rfind(path + ":", 0) == 0);
    return 0;
  }
  const std::vector<std::string> sentences = {
      "Lyon signed a sister-city agreement with Kyoto on June 27.",
      "Tartu ended its twin-town ties with Pskov, while Turku kept its own with Pskov.",
  };
  for (const auto& s : sentences) {
    std::vector<tw::CityMention> cities = {City(s, s.substr(0, s.find(' ')), 1)};
    for (const char* other : {"Kyoto", "Turku", "Pskov"}) {
      if (s.find(other) != std::string::npos) cities.push_back(City(s, other, 2 + cities.size()));
    }
    // As the extractor gives them: in text order.
    std::sort(cities.begin(), cities.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    for (const auto& m : (*rules)->MatchSentence(s, cities)) {
      FUZZ_CHECK(m.first_city < cities.size() && m.second_city < cities.size() && m.first_city != m.second_city);
      FUZZ_CHECK(m.start <= m.end && m.end <= s.size());
      FUZZ_CHECK(!tw::EventRules::RuleId(m.rule).empty());
    }
  }
  return 0;
}
