// Generated news pages for benchmarks: realistic size and furniture, a share with events.
#pragma once

#include <cstdint>
#include <string>

namespace tw::bench {

// Writes `count` HTML articles under `dir` (100 per sub-folder). Returns the total bytes written.
uint64_t WriteCorpus(const std::string& dir, int count, uint32_t seed = 42);

}  // namespace tw::bench
