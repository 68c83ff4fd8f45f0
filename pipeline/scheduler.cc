#include "pipeline/scheduler.h"

#include <algorithm>

#include "pipeline/url.h"

namespace tw {

namespace {
Scheduler::Clock::duration Seconds(double s) {
  return std::chrono::duration_cast<Scheduler::Clock::duration>(std::chrono::duration<double>(s));
}
}  // namespace

Scheduler::Scheduler(int concurrency, double per_host_delay_seconds)
    : concurrency_(std::max(1, concurrency)), per_host_delay_(std::max(0.0, per_host_delay_seconds)) {}

void Scheduler::Add(CrawlTask task, TimePoint not_before) {
  ++queued_;
  if (not_before != TimePoint{}) {  // waits in delayed_ until Next() is called at or after it
    delayed_.push({not_before, delayed_seq_++, std::move(task)});
    return;
  }
  Enqueue(std::move(task), /*front=*/false);
}

void Scheduler::PushFront(CrawlTask task) {
  ++queued_;
  Enqueue(std::move(task), /*front=*/true);
}

void Scheduler::Enqueue(CrawlTask task, bool front) {
  const std::string name = HostKey(task.url);
  Host& host = hosts_[name];
  auto& queue = task.kind == TaskKind::kDiscovery ? host.discovery : host.articles;
  if (front) queue.push_front(std::move(task));
  else queue.push_back(std::move(task));
  MarkReady(name, host);
}

void Scheduler::MarkReady(const std::string& name, Host& host) {
  if (!host.busy && !host.empty()) ready_.emplace(host.next_allowed, name);
}

void Scheduler::ReleaseDelayed(TimePoint now) {
  while (!delayed_.empty() && delayed_.top().at <= now) {
    CrawlTask task = std::move(const_cast<Delayed&>(delayed_.top()).task);
    delayed_.pop();
    Enqueue(std::move(task), /*front=*/false);
  }
}

std::optional<CrawlTask> Scheduler::Next(TimePoint now) {
  ReleaseDelayed(now);
  if (in_flight_ >= static_cast<size_t>(concurrency_) || ready_.empty() || ready_.begin()->first > now) return std::nullopt;
  const std::string name = ready_.begin()->second;
  ready_.erase(ready_.begin());
  Host& host = hosts_[name];
  auto& queue = !host.discovery.empty() ? host.discovery : host.articles;
  CrawlTask task = std::move(queue.front());
  queue.pop_front();
  host.busy = true;
  --queued_;
  ++in_flight_;
  return task;
}

void Scheduler::Finished(const std::string& name, TimePoint now, double at_least_seconds) {
  Host& host = hosts_[name];
  if (host.busy) --in_flight_;
  host.busy = false;
  // file:// reads (no host) have no server to be polite to.
  const double gap = name.empty() ? 0 : std::max({per_host_delay_, host.crawl_delay, at_least_seconds});
  host.next_allowed = now + Seconds(gap);
  MarkReady(name, host);
}

void Scheduler::Release(const std::string& name) {
  Host& host = hosts_[name];
  if (host.busy) --in_flight_;
  host.busy = false;
  MarkReady(name, host);
}

void Scheduler::SetCrawlDelay(const std::string& name, double seconds) { hosts_[name].crawl_delay = std::max(0.0, seconds); }

std::optional<Scheduler::TimePoint> Scheduler::NextStartTime() const {
  std::optional<TimePoint> earliest;
  if (!ready_.empty()) earliest = ready_.begin()->first;
  if (!delayed_.empty() && (!earliest || delayed_.top().at < *earliest)) earliest = delayed_.top().at;
  return earliest;
}

}  // namespace tw
