// The generic stage runner: N worker threads that pop from an input queue, call the stage's
// process function, push the result on, and count. The threading of every stage lives here, so a
// stage itself is a plain class whose process() tests call directly.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/queue.h"
#include "pipeline/status.h"

namespace tw {

// Live counters of one stage, updated by its workers and read by the progress line and summary.
struct StageCounters {
  explicit StageCounters(std::string stage_name) : name(std::move(stage_name)) {}
  const std::string name;
  std::atomic<uint64_t> in{0};       // items taken from the input queue
  std::atomic<uint64_t> out{0};      // items passed on (or consumed, for the last stage)
  std::atomic<uint64_t> skipped{0};  // items the stage declined: duplicates, or over a limit
  std::atomic<uint64_t> failed{0};   // items the stage could not process
  std::atomic<uint64_t> busy_ns{0};  // time spent inside process(), all workers together
};

// A plain copy of the counters at one moment.
struct StageSnapshot {
  std::string name;
  uint64_t in = 0, out = 0, skipped = 0, failed = 0;
  double busy_seconds = 0;
};
StageSnapshot Snapshot(const StageCounters& counters);

// Runs `process` on `workers` threads. When the input queue is closed and drained, the last worker
// to finish closes the output queue, so closing the first queue of a line drains the whole line.
// `process` returns the item to pass on, or a Status: kDuplicate and kTooLarge (declined on purpose:
// already stored, or over a configured limit) count as skipped, anything else as failed and is
// handed to `on_error` (which must be thread-safe). With a null output queue the
// stage is a sink and its results are dropped after counting.
template <typename In, typename Out>
class StageRunner {
 public:
  using ProcessFn = std::function<Result<Out>(In&)>;
  using ErrorFn = std::function<void(const Status&)>;

  StageRunner(StageCounters& counters, int workers, Queue<In>& input, Queue<Out>* output,
              ProcessFn process, ErrorFn on_error)
      : counters_(counters),
        workers_(workers < 1 ? 1 : workers),
        input_(input),
        output_(output),
        process_(std::move(process)),
        on_error_(std::move(on_error)) {}

  StageRunner(const StageRunner&) = delete;
  StageRunner& operator=(const StageRunner&) = delete;
  ~StageRunner() { Join(); }

  void Start() {
    live_workers_ = workers_;
    for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { WorkLoop(); });
  }

  void Join() {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }

 private:
  void WorkLoop() {
    while (auto item = input_.Pop()) {
      counters_.in.fetch_add(1, std::memory_order_relaxed);
      const auto started = std::chrono::steady_clock::now();
      Result<Out> result = process_(*item);
      const auto busy = std::chrono::steady_clock::now() - started;
      counters_.busy_ns.fetch_add(
          std::chrono::duration_cast<std::chrono::nanoseconds>(busy).count(),
          std::memory_order_relaxed);
      if (result.ok()) {
        if (output_ == nullptr || output_->Push(result.value())) {
          counters_.out.fetch_add(1, std::memory_order_relaxed);
        } else {
          // Downstream closed early (it failed as a whole): what we hold cannot go anywhere.
          counters_.failed.fetch_add(1, std::memory_order_relaxed);
          if (on_error_) on_error_(Status::Cancelled("stage '" + counters_.name + "': next stage closed"));
        }
      } else if (result.status().IsDuplicate() || result.status().code() == Status::Code::kTooLarge) {
        counters_.skipped.fetch_add(1, std::memory_order_relaxed);
      } else {
        counters_.failed.fetch_add(1, std::memory_order_relaxed);
        if (on_error_) on_error_(result.status());
      }
    }
    if (live_workers_.fetch_sub(1) == 1 && output_ != nullptr) output_->Close();
  }

  StageCounters& counters_;
  const int workers_;
  Queue<In>& input_;
  Queue<Out>* output_;
  ProcessFn process_;
  ErrorFn on_error_;
  std::atomic<int> live_workers_{0};
  std::vector<std::thread> threads_;
};

}  // namespace tw
