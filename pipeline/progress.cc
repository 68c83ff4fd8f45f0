#include "pipeline/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "pipeline/ingest.h"

namespace tw {

bool ProgressLine::StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressLine::ProgressLine(std::string label, const ProcessingLine& line) : label_(std::move(label)), line_(line) {
  if (StderrIsTerminal()) thread_ = std::thread([this] { Loop(); });
}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
}

void ProgressLine::Loop() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return done_; })) {
    auto stages = line_.Snapshot();
    auto depths = line_.Depths();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    uint64_t done = stages[2].out + stages[2].skipped;
    uint64_t failed = stages[0].failed + stages[1].failed + stages[2].failed;
    std::string text = fmt::format("\r\033[K{}: {} cleaned, {} stored, {} failed, {} events | {:.0f} articles/s | queues {}/{}/{} of {}",
                                   label_, stages[0].out, done, failed, line_.events_new(), secs > 0 ? done / secs : 0.0,
                                   depths.raw, depths.articles, depths.extractions, depths.capacity);
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
  }
}

}  // namespace tw
