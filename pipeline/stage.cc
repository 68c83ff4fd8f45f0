#include "pipeline/stage.h"

namespace tw {

StageSnapshot Snapshot(const StageCounters& counters) {
  StageSnapshot s;
  s.name = counters.name;
  s.in = counters.in.load(std::memory_order_relaxed);
  s.out = counters.out.load(std::memory_order_relaxed);
  s.skipped = counters.skipped.load(std::memory_order_relaxed);
  s.failed = counters.failed.load(std::memory_order_relaxed);
  s.busy_seconds = counters.busy_ns.load(std::memory_order_relaxed) / 1e9;
  return s;
}

}  // namespace tw
