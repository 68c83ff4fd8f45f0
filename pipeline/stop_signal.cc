#include "pipeline/stop_signal.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <ctime>

namespace tw {

namespace {
sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

StopSignal::StopSignal() {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  watcher_ = std::thread([this, set] {
    // Polls with a timeout so the destructor can end the thread without sending it a signal.
    const timespec tick{0, 100 * 1000 * 1000};
    while (!done_) {
      int sig = sigtimedwait(&set, nullptr, &tick);
      if (sig < 0) continue;
      if (requested_.exchange(true)) {
        spdlog::error("second {}: stopping now without draining", sig == SIGINT ? "SIGINT" : "SIGTERM");
        _exit(130);
      }
      spdlog::warn("{} received: finishing the articles in flight (send again to stop at once)",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
    }
  });
}

StopSignal::~StopSignal() {
  done_ = true;
  if (watcher_.joinable()) watcher_.join();
}

}  // namespace tw
