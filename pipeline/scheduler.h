// The crawl scheduler: which URL to fetch next, politely. At most one request in flight per host,
// at least the per-host delay (or the host's Crawl-delay, or its Retry-After, whichever is longest)
// between two requests to one host, and at most `concurrency` requests in flight overall. Tasks
// may wait for a time (retries). Pure bookkeeping on a clock the caller passes in: no threads, no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace tw {

enum class TaskKind : uint8_t { kDiscovery, kArticle };

// One URL to fetch and what the crawl needs to handle its answer.
struct CrawlTask {
  std::string url;                     // canonical URL to request now
  std::string record_url;              // the URL the crawl state is kept under (the first one asked for)
  TaskKind kind = TaskKind::kArticle;
  std::string source;                  // name of the source that led here
  bool root = false;                   // the source's own feed, sitemap or page
  int depth = 0;                       // sitemap nesting below the source's URL
  std::vector<std::string> redirects;  // URLs already requested on the way here (loop detection)
};

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  Scheduler(int concurrency, double per_host_delay_seconds);

  // Queues a task, not to start before `not_before`. Discovery tasks go before a host's articles.
  void Add(CrawlTask task, TimePoint not_before = {});
  // Puts back a task Next() gave (its host is released with Release() or Finished()) at the head of
  // its host's queue.
  void PushFront(CrawlTask task);

  // A task whose host has nothing in flight and whose delay has passed, if the global limit allows.
  // Its host counts as busy until Finished() or Release().
  std::optional<CrawlTask> Next(TimePoint now);
  // The request to `host` ended at `now`: its next one waits the per-host delay, the host's crawl
  // delay or `at_least_seconds`, whichever is longest.
  void Finished(const std::string& host, TimePoint now, double at_least_seconds = 0);
  // The task Next() gave was not sent after all: the host is free again, its timing unchanged.
  void Release(const std::string& host);
  // Crawl-delay from the host's robots.txt (0 to clear).
  void SetCrawlDelay(const std::string& host, double seconds);

  // The earliest time a queued task may start (now or in the past when one is ready), if any.
  std::optional<TimePoint> NextStartTime() const;
  size_t queued() const { return queued_; }
  size_t in_flight() const { return in_flight_; }

 private:
  struct Host {
    std::deque<CrawlTask> discovery, articles;
    bool busy = false;
    TimePoint next_allowed{};
    double crawl_delay = 0;
    bool empty() const { return discovery.empty() && articles.empty(); }
  };
  struct Delayed {
    TimePoint at;
    uint64_t seq;
    CrawlTask task;
    bool operator>(const Delayed& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  void Enqueue(CrawlTask task, bool front);
  void MarkReady(const std::string& name, Host& host);
  void ReleaseDelayed(TimePoint now);

  const int concurrency_;
  const double per_host_delay_;
  std::unordered_map<std::string, Host> hosts_;
  // Hosts with queued tasks and nothing in flight, by the time they may next be asked.
  std::set<std::pair<TimePoint, std::string>> ready_;
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<>> delayed_;
  uint64_t delayed_seq_ = 0;
  size_t queued_ = 0;
  size_t in_flight_ = 0;
};

}  // namespace tw
