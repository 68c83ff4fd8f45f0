// Turns SIGINT/SIGTERM into a stop request that the pipeline polls: stop reading, drain what is in
// flight, commit, exit 0. A second signal ends the process at once (what was committed stays).
#pragma once

#include <atomic>
#include <thread>

namespace tw {

class StopSignal {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread and every thread it creates from now on, so
  // only the watcher thread sees them. Call before starting any other thread.
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  const std::atomic<bool>& requested() const { return requested_; }
  // Lets code (and tests) ask for a stop as a signal would.
  void Request() { requested_ = true; }

 private:
  std::atomic<bool> requested_{false};
  std::atomic<bool> done_{false};
  std::thread watcher_;
};

}  // namespace tw
