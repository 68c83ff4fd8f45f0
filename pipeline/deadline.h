// A time budget for one document, checked by a stage between its steps: a page that takes too long
// is skipped and named instead of holding a worker indefinitely.
#pragma once

#include <chrono>

namespace tw {

class Deadline {
 public:
  // Expires `seconds` from now; zero or less never expires.
  explicit Deadline(double seconds)
      : unlimited_(seconds <= 0),
        end_(std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(unlimited_ ? 0 : seconds))) {}

  bool Expired() const { return !unlimited_ && std::chrono::steady_clock::now() >= end_; }

 private:
  bool unlimited_;
  std::chrono::steady_clock::time_point end_;
};

}  // namespace tw
