// What the benchmarks share: generated news pages (realistic size and furniture, a share with
// events), and the measures of this process they report.
#pragma once

#include <cstdint>
#include <string>

namespace tw::bench {

// Writes `count` HTML articles under `dir` (100 per sub-folder). Returns the total bytes written.
uint64_t WriteCorpus(const std::string& dir, int count, uint32_t seed = 42);

// Peak resident set of this process so far, in KiB.
long PeakRssKb();
// CPU seconds (user + system) of this whole process, all threads: on a shared machine, wall time
// measures the neighbours too.
double ProcessCpuSeconds();
// CPU seconds of the calling thread only.
double ThreadCpuSeconds();
// CPU seconds of this process's children that have ended and been waited for.
double ChildrenCpuSeconds();

}  // namespace tw::bench
