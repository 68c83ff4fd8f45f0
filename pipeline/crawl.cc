#include "pipeline/crawl.h"

#include <re2/re2.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <deque>
#include <memory>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "pipeline/discovery.h"
#include "pipeline/fetcher.h"
#include "pipeline/gzip.h"
#include "pipeline/progress.h"
#include "pipeline/robots.h"
#include "pipeline/scheduler.h"
#include "pipeline/url.h"
#include "storage/store.h"

namespace tw {

namespace {

using Clock = Scheduler::Clock;
using TimePoint = Scheduler::TimePoint;

constexpr int64_t kRobotsCacheSeconds = 24 * 3600;  // RFC 9309 section 2.4
// The sitemap protocol allows 50 MiB uncompressed; feeds and listing pages get the same room. Only
// articles are held to the (smaller) [crawler] max_body_mb, unless that is larger.
constexpr size_t kMaxDiscoveryBytes = size_t{50} << 20;
constexpr int kMaxSitemapDepth = 3;                 // index -> index -> sitemap is plenty; more is a loop
constexpr int kMaxRedirects = 5;
constexpr double kMaxBackoffSeconds = 6 * 3600;
constexpr const char* kArticleKind = "article";
constexpr const char* kChildSitemapKind = "sitemap";
constexpr const char* kRobotsKind = "robots";

CrawlTask MakeTask(const std::string& url, TaskKind kind, const std::string& source, int depth = 0, bool root = false) {
  CrawlTask task;
  task.url = task.record_url = url;
  task.kind = kind;
  task.source = source;
  task.depth = depth;
  task.root = root;
  return task;
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Clock::duration Seconds(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

// A unix time as a point on the steady clock the scheduler runs on.
TimePoint SteadyAt(int64_t unix_seconds) {
  return Clock::now() + Seconds(static_cast<double>(unix_seconds - UnixNow()));
}

std::string RobotsUrl(const std::string& host) { return host + "/robots.txt"; }

std::string HttpError(long status) { return "HTTP " + std::to_string(status); }

// The articles the line has finished with (stored, duplicate or failed), from its stage counters.
uint64_t LineFinished(const ProcessingLine& line) {
  uint64_t n = 0;
  const auto stages = line.Snapshot();
  for (const auto& s : stages) n += s.failed + s.skipped;
  n += stages.back().out;
  return n;
}

class Crawler {
 public:
  Crawler(const SourcesFile& sources, Store& store, ProcessingLine& line, const CrawlOptions& options,
          const std::atomic<bool>* stop)
      : sources_(sources),
        settings_(sources.crawler),
        store_(store),
        line_(line),
        options_(options),
        stop_(stop),
        fetcher_(MakeFetcherOptions(sources.crawler)),
        scheduler_(sources.crawler.concurrency, sources.crawler.per_host_delay_seconds),
        robots_token_(ProductToken(sources.crawler.user_agent)),
        random_(std::random_device{}()) {
    for (const auto& s : sources_.sources) source_by_name_[s.name] = &s;
  }

  void Run() {
    ResumeFrontier();
    QueueDueSources();
    auto last_source_check = Clock::now();
    auto last_confirm = Clock::now();
    while (true) {
      const bool stopping = stop_ && stop_->load();
      const TimePoint now = Clock::now();
      if (!stopping) {
        if (!options_.once && now - last_source_check > std::chrono::seconds(1)) {
          QueueDueSources();
          last_source_check = now;
        }
        Dispatch(now);
      }
      if (fetcher_.in_flight() == 0 && (stopping || PassOver(now))) break;
      for (FetchResult& result : fetcher_.Poll(PollTimeoutMs(now))) Handle(std::move(result));
      if (Clock::now() - last_confirm > std::chrono::milliseconds(500)) {
        ConfirmStored(/*all=*/false);
        last_confirm = Clock::now();
      }
    }
    if (stop_ && stop_->load()) spdlog::info("crawl: stopped; what was discovered and not fetched is kept for the next run");
  }

  // After the line has drained: every article handed to it is now stored, a duplicate or failed.
  void ConfirmAll() { ConfirmStored(/*all=*/true); }

  CrawlTotals& totals() { return totals_; }
  uint64_t connections() const { return fetcher_.connections_opened(); }

 private:
  struct RobotsEntry {
    RobotsRules rules;
    int64_t expires = 0;          // unix seconds
    TimePoint unavailable_until;  // robots.txt could not be read: the host waits until then
    bool unavailable = false;
    uint32_t failures = 0;
  };

  static FetcherOptions MakeFetcherOptions(const CrawlerSettings& c) {
    FetcherOptions f;
    f.user_agent = c.user_agent;
    f.connect_timeout_seconds = c.connect_timeout_seconds;
    f.timeout_seconds = c.timeout_seconds;
    f.max_body_bytes = c.max_body_bytes;
    f.allow_private = c.allow_private;
    f.resolve = c.resolve;
    f.ca_file = c.ca_file;
    f.max_idle_connections = static_cast<size_t>(std::max(64, c.concurrency * 8));
    return f;
  }

  // ---- crawl state ----------------------------------------------------------------------------

  CrawlState LoadState(const std::string& url, const char* kind, const std::string& source) {
    auto got = store_.GetCrawlState(CrawlScope::kUrl, url);
    if (!got.ok()) spdlog::error("{}", got.status().message());
    CrawlState state = got.ok() && got->has_value() ? **got : CrawlState{};
    if (state.kind.empty()) state.kind = kind;
    if (state.source.empty()) state.source = source;
    return state;
  }

  void SaveState(const std::string& url, const CrawlState& state) {
    Status st = store_.PutCrawlState(CrawlScope::kUrl, url, state);
    if (!st.ok()) spdlog::error("{}", st.message());
  }

  const char* KindOf(const CrawlTask& task) const {
    if (task.kind == TaskKind::kArticle) return kArticleKind;
    if (!task.root) return kChildSitemapKind;
    auto it = source_by_name_.find(task.source);
    return it == source_by_name_.end() ? kChildSitemapKind : SourceKindName(it->second->kind);
  }

  // ---- what to fetch --------------------------------------------------------------------------

  // URLs a previous run discovered and did not finish (killed, stopped, or waiting for a retry).
  void ResumeFrontier() {
    std::vector<std::pair<std::string, CrawlState>> pending;
    Status st = store_.ForEachCrawlState(CrawlScope::kUrl, [&](const std::string& url, const CrawlState& s) {
      if (s.pending) pending.emplace_back(url, s);
      return true;
    });
    if (!st.ok()) spdlog::error("{}", st.message());
    size_t resumed = 0;
    for (auto& [url, state] : pending) {
      const bool article = state.kind == kArticleKind;
      auto stored = article ? store_.HasArticleUrl(url) : Result<bool>(false);
      if ((stored.ok() && *stored) || (!article && !source_by_name_.count(state.source))) {
        state.pending = false;  // stored before the last run ended, or its source is gone
        SaveState(url, state);
        continue;
      }
      scheduler_.Add(MakeTask(url, article ? TaskKind::kArticle : TaskKind::kDiscovery, state.source, /*depth=*/1),
                     state.next_due > UnixNow() ? SteadyAt(state.next_due) : TimePoint{});
      ++resumed;
    }
    if (resumed) spdlog::info("crawl: resuming {} URLs left from an earlier run", resumed);
  }

  void QueueDueSources() {
    const int64_t now = UnixNow();
    for (const auto& source : sources_.sources) {
      if (active_sources_.count(source.name)) continue;
      auto record = store_.GetCrawlState(CrawlScope::kSource, source.name);
      if (!record.ok()) {
        spdlog::error("{}", record.status().message());
        continue;
      }
      if (record->has_value() && (*record)->next_due > now) continue;
      active_sources_.insert(source.name);
      visited_discovery_[source.name].clear();
      scheduler_.Add(MakeTask(source.url, TaskKind::kDiscovery, source.name, /*depth=*/0, /*root=*/true));
      spdlog::debug("source '{}' is due: {}", source.name, source.url);
    }
  }

  // --once is done when nothing is in flight and nothing may start within max_retry_wait.
  bool PassOver(TimePoint now) const {
    if (!options_.once) return false;
    auto next = scheduler_.NextStartTime();
    return !next || *next > now + Seconds(settings_.max_retry_wait_seconds);
  }

  int PollTimeoutMs(TimePoint now) const {
    int ms = 200;  // the stop flag and source schedule are looked at this often
    if (auto next = scheduler_.NextStartTime(); next && fetcher_.in_flight() < static_cast<size_t>(settings_.concurrency)) {
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now).count();
      ms = static_cast<int>(std::clamp<int64_t>(wait, 0, ms));
    }
    return ms;
  }

  void Dispatch(TimePoint now) {
    while (fetcher_.in_flight() < static_cast<size_t>(settings_.concurrency)) {
      auto task = scheduler_.Next(now);
      if (!task) return;
      const std::string host = HostKey(task->url);
      if (!host.empty()) {
        RobotsEntry* robots = Robots(host);
        if (robots == nullptr) {
          FetchRobots(host, std::move(*task));
          continue;
        }
        if (robots->unavailable) {
          scheduler_.PushFront(std::move(*task));
          scheduler_.Finished(host, now, std::chrono::duration<double>(robots->unavailable_until - now).count());
          continue;
        }
        if (!robots->rules.Allowed(PathAndQuery(task->url))) {
          scheduler_.Release(host);
          Disallowed(*task);
          continue;
        }
      }
      Start(std::move(*task));
    }
  }

  size_t DiscoveryBodyCap() const { return std::max(settings_.max_body_bytes, kMaxDiscoveryBytes); }

  void Start(CrawlTask task) {
    FetchRequest request;
    request.tag = next_tag_++;
    request.url = task.url;
    request.article = task.kind == TaskKind::kArticle;
    if (!request.article) request.max_body_bytes = DiscoveryBodyCap();
    if (task.kind == TaskKind::kDiscovery && task.redirects.empty()) {
      // Conditional GET: what we learnt from the last answer is already recorded.
      CrawlState state = LoadState(task.record_url, KindOf(task), task.source);
      request.if_none_match = state.etag;
      request.if_modified_since = state.last_modified;
    }
    ++totals_.requests;
    in_flight_.emplace(request.tag, std::move(task));
    fetcher_.Start(std::move(request));
  }

  // ---- robots.txt -------------------------------------------------------------------------------

  // The host's robots rules if known and fresh (memory, then the store's 24-hour cache), else null.
  RobotsEntry* Robots(const std::string& host) {
    auto it = robots_.find(host);
    if (it != robots_.end()) {
      RobotsEntry& e = it->second;
      if (e.unavailable ? Clock::now() < e.unavailable_until : UnixNow() < e.expires) return &e;
    }
    auto cached = store_.GetCrawlState(CrawlScope::kUrl, RobotsUrl(host));
    if (cached.ok() && cached->has_value()) {
      const CrawlState& s = **cached;
      const bool usable = s.http_status >= 200 && s.http_status < 500 && s.last_success + kRobotsCacheSeconds > UnixNow();
      if (usable) {
        RobotsEntry& e = robots_[host];
        e = RobotsEntry{};
        e.rules = s.http_status < 300 ? RobotsRules::Parse(s.body, robots_token_) : RobotsRules::AllowAll();
        e.expires = s.last_success + kRobotsCacheSeconds;
        scheduler_.SetCrawlDelay(host, e.rules.crawl_delay_seconds().value_or(0));
        return &e;
      }
    }
    return nullptr;
  }

  void FetchRobots(const std::string& host, CrawlTask waiting) {
    robots_waiting_[host] = std::move(waiting);
    FetchRequest request;
    request.tag = next_tag_++;
    request.url = RobotsUrl(host);
    request.follow_redirects = true;  // RFC 9309 section 2.3.1.2: follow at least five
    request.max_body_bytes = 4 * RobotsRules::kMaxBytes;
    robots_tags_.emplace(request.tag, host);
    ++totals_.requests;
    fetcher_.Start(std::move(request));
  }

  void HandleRobots(const std::string& host, FetchResult& r) {
    const TimePoint now = Clock::now();
    RobotsEntry& e = robots_[host];
    const uint32_t failures = e.failures;
    e = RobotsEntry{};
    CrawlState state = LoadState(RobotsUrl(host), kRobotsKind, "");
    state.last_attempt = UnixNow();
    state.http_status = static_cast<int>(r.http_status);
    const bool server_trouble = r.error == FetchError::kTimeout || r.error == FetchError::kNetwork ||
                                r.error == FetchError::kBadResponse || r.http_status >= 500 || r.http_status == 429;
    if (server_trouble) {
      // RFC 9309 section 2.3.1.4: unreachable means complete disallow; the host's URLs wait.
      e.unavailable = true;
      e.failures = failures + 1;
      const double wait = Backoff(e.failures);
      e.unavailable_until = now + Seconds(wait);
      state.failures = e.failures;
      state.last_error = r.error != FetchError::kNone ? r.message : RobotsUrl(host) + ": " + HttpError(r.http_status);
      spdlog::warn("{}: robots.txt unavailable ({}); not fetching from this host for {:.0f} s", host, state.last_error, wait);
    } else {
      // 2xx: the rules; 4xx, too many redirects, too large, refused: no usable rules, allow all (a
      // refused address is then refused again, and reported, for each URL).
      const bool have_rules = r.error == FetchError::kNone && r.http_status >= 200 && r.http_status < 300;
      e.rules = have_rules ? RobotsRules::Parse(r.body, robots_token_) : RobotsRules::AllowAll();
      e.expires = UnixNow() + kRobotsCacheSeconds;
      state.body = have_rules ? r.body.substr(0, RobotsRules::kMaxBytes) : "";
      if (r.error == FetchError::kNone) {
        state.last_success = state.last_attempt;
        state.failures = 0;
        state.last_error.clear();
      } else {
        state.last_error = r.message;
      }
      if (!have_rules && state.http_status < 400) state.http_status = 404;  // cached as "no robots.txt"
      scheduler_.SetCrawlDelay(host, e.rules.crawl_delay_seconds().value_or(0));
      spdlog::debug("{}: robots.txt {} ({})", host, r.http_status, have_rules ? "rules" : "allow all");
    }
    // Only an answer from the server is worth caching for a day; a refusal or error is retried.
    if (r.error == FetchError::kNone) SaveState(RobotsUrl(host), state);
    scheduler_.Finished(host, now);
    auto waiting = robots_waiting_.find(host);
    if (waiting != robots_waiting_.end()) {
      scheduler_.PushFront(std::move(waiting->second));
      robots_waiting_.erase(waiting);
    }
  }

  // ---- answers ----------------------------------------------------------------------------------

  void Handle(FetchResult r) {
    totals_.bytes += r.body.size();
    if (r.http_version == 2) ++totals_.http2_responses;
    if (auto robots = robots_tags_.find(r.tag); robots != robots_tags_.end()) {
      const std::string host = robots->second;
      robots_tags_.erase(robots);
      HandleRobots(host, r);
      return;
    }
    auto node = in_flight_.extract(r.tag);
    if (node.empty()) return;
    CrawlTask task = std::move(node.mapped());
    const TimePoint now = Clock::now();
    const bool throttled = r.http_status == 429 || r.http_status == 503;
    // 429 and 503 with Retry-After slow the whole host down, not just this URL.
    scheduler_.Finished(HostKey(task.url), now, throttled ? static_cast<double>(r.retry_after_seconds.value_or(0)) : 0);

    CrawlState state = LoadState(task.record_url, KindOf(task), task.source);
    state.last_attempt = UnixNow();
    state.http_status = static_cast<int>(r.http_status);

    if (r.error != FetchError::kNone) {
      if (IsRetryable(r.error)) {
        Retry(std::move(task), state, r.message, std::nullopt);
      } else {
        GiveUp(task, state, r.message, /*skip=*/r.error == FetchError::kContentType);
      }
      return;
    }
    const long status = r.http_status;
    if (status >= 300 && status < 400 && status != 304 && !r.location.empty()) {
      Redirect(std::move(task), state, r);
    } else if (status == 304 || (status >= 200 && status < 300)) {
      if (task.kind == TaskKind::kDiscovery) {
        Discover(task, state, r);
      } else {
        Fetched(task, state, r);
      }
    } else if (status == 429 || status >= 500) {
      Retry(std::move(task), state, task.url + ": " + HttpError(status), r.retry_after_seconds);
    } else {
      GiveUp(task, state, task.url + ": " + HttpError(status), /*skip=*/false);  // 4xx: asking again will not help
    }
  }

  void Redirect(CrawlTask task, CrawlState& state, const FetchResult& r) {
    auto target = CanonicalLink(task.url, r.location);
    std::string chain;
    for (const auto& u : task.redirects) chain += u + " -> ";
    chain += task.url + " -> " + (target ? *target : r.location);
    if (!target || target->rfind("http", 0) != 0) {
      GiveUp(task, state, task.url + ": redirect to a location that is not http(s): " + r.location, false);
    } else if (*target == task.url || std::find(task.redirects.begin(), task.redirects.end(), *target) != task.redirects.end()) {
      GiveUp(task, state, task.record_url + ": redirect loop: " + chain, false);
    } else if (static_cast<int>(task.redirects.size()) >= kMaxRedirects) {
      GiveUp(task, state, task.record_url + ": more than " + std::to_string(kMaxRedirects) + " redirects: " + chain, false);
    } else {
      spdlog::debug("{}: {} redirect to {}", task.url, r.http_status, *target);
      task.redirects.push_back(task.url);
      task.url = *target;
      scheduler_.Add(std::move(task));
    }
  }

  void Fetched(const CrawlTask& task, CrawlState& state, FetchResult& r) {
    state.last_success = state.last_attempt;
    state.failures = 0;
    state.last_error.clear();
    state.next_due = 0;
    state.pending = true;  // until the line has it stored (or judged it a duplicate)
    SaveState(task.record_url, state);
    if (r.http_status == 304) {
      unconfirmed_.push_back(task.record_url);
      return;
    }
    RawDoc doc;
    doc.url = task.record_url;  // the article id is a hash of this: the discovered, canonical URL
    doc.origin = task.record_url;
    doc.bytes = std::move(r.body);
    doc.content_type = r.content_type;
    doc.charset = r.charset;
    doc.fetch_time = state.last_attempt;
    ++totals_.fetched;
    spdlog::debug("{}: fetched, {} bytes", task.record_url, doc.bytes.size());
    if (line_.input().Push(doc)) {
      ++pushed_;
      unconfirmed_.push_back(task.record_url);
    }
  }

  void Discover(const CrawlTask& task, CrawlState& state, FetchResult& r) {
    const SourceConfig* source = source_by_name_.count(task.source) ? source_by_name_.at(task.source) : nullptr;
    if (r.http_status == 304) {
      ++totals_.not_modified;
      spdlog::debug("{}: not modified", task.url);
    } else {
      std::string body = std::move(r.body);
      if (LooksGzipped(body)) {  // sitemap.xml.gz served as a file, not as a Content-Encoding
        auto unzipped = Gunzip(body, DiscoveryBodyCap());
        if (!unzipped.ok()) {
          GiveUp(task, state, unzipped.status().WithContext(task.url).message(), false);
          return;
        }
        body = std::move(*unzipped);
      }
      const bool page = task.root && source && source->kind == SourceKind::kPage;
      auto found = page ? DiscoverInPage(body, task.url, r.charset, *source->links_re) : DiscoverInXml(body, task.url);
      if (!found.ok()) {
        GiveUp(task, state, found.status().message(), false);
        return;
      }
      for (const auto& w : found->warnings) spdlog::warn("{}", w);
      QueueLinks(task, *found);
      // Validators only once the links they cover are recorded: a 304 later must not hide any.
      state.etag = r.etag;
      state.last_modified = r.last_modified;
    }
    state.last_success = state.last_attempt;
    state.failures = 0;
    state.last_error.clear();
    state.pending = false;
    SaveState(task.record_url, state);
    if (task.root) SourceDone(task.source, state, /*ok=*/true);
  }

  void QueueLinks(const CrawlTask& task, const Discovered& found) {
    const bool from_file = task.url.rfind("file:", 0) == 0;
    auto& visited = visited_discovery_[task.source];
    for (const auto& child : found.sitemaps) {
      if (task.depth + 1 > kMaxSitemapDepth || !visited.insert(child).second) continue;
      if (!from_file && child.rfind("file:", 0) == 0) continue;
      Enqueue(MakeTask(child, TaskKind::kDiscovery, task.source, task.depth + 1), LoadState(child, kChildSitemapKind, task.source));
    }
    uint64_t fresh = 0, stored = 0;
    for (const auto& link : found.articles) {
      // Only what the user put in the sources file may lead to local files.
      if (!from_file && link.rfind("file:", 0) == 0) {
        spdlog::debug("{}: ignoring file link {}", task.url, link);
        continue;
      }
      auto has = store_.HasArticleUrl(link);
      if (has.ok() && *has) {
        ++stored;
        continue;
      }
      auto known = store_.GetCrawlState(CrawlScope::kUrl, link);
      if (!known.ok() || known->has_value()) continue;  // queued, done, or given up before
      CrawlState fresh_state;
      fresh_state.kind = kArticleKind;
      fresh_state.source = task.source;
      Enqueue(MakeTask(link, TaskKind::kArticle, task.source), std::move(fresh_state));
      ++fresh;
    }
    totals_.discovered += fresh;
    totals_.already_stored += stored;
    spdlog::info("source '{}': {} ({}): {} links, {} new, {} already stored{}", task.source, task.url, found.format,
                 found.articles.size(), fresh, stored,
                 found.sitemaps.empty() ? "" : fmt::format(", {} sitemaps", found.sitemaps.size()));
  }

  // Recorded as pending before it is queued: a run killed from here on still knows of it.
  void Enqueue(CrawlTask task, CrawlState state) {
    state.pending = true;
    SaveState(task.record_url, state);
    scheduler_.Add(std::move(task));
  }

  void SourceDone(const std::string& name, const CrawlState& url_state, bool ok) {
    active_sources_.erase(name);
    auto it = source_by_name_.find(name);
    if (it == source_by_name_.end()) return;
    if (ok) ++totals_.sources_crawled;
    // `every` under a second: due again at once.
    SaveSourceState(name, url_state, url_state.last_attempt + static_cast<int64_t>(it->second->every_seconds), ok);
  }

  // The source's record mirrors how its own URL fared, plus when it is due next.
  void SaveSourceState(const std::string& name, const CrawlState& url_state, int64_t next_due, bool ok) {
    auto got = store_.GetCrawlState(CrawlScope::kSource, name);
    CrawlState s = got.ok() && got->has_value() ? **got : CrawlState{};
    s.last_attempt = url_state.last_attempt;
    s.http_status = url_state.http_status;
    s.last_error = url_state.last_error;
    s.failures = url_state.failures;
    if (ok) s.last_success = url_state.last_attempt;
    s.next_due = next_due;
    Status st = store_.PutCrawlState(CrawlScope::kSource, name, s);
    if (!st.ok()) spdlog::error("{}", st.message());
  }

  // ---- failures ---------------------------------------------------------------------------------

  double Backoff(uint32_t failures) {
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    const double base = settings_.retry_backoff_seconds * std::pow(2.0, std::min<uint32_t>(failures, 30) - 1.0);
    return std::min(kMaxBackoffSeconds, base * jitter(random_));
  }

  void Retry(CrawlTask task, CrawlState& state, const std::string& error, std::optional<int64_t> retry_after) {
    ++state.failures;
    state.last_error = error;
    // A source's own URL is never given up for good: after max_attempts it waits for its next
    // `every`, and the count (kept for `stats`) starts a new round of attempts.
    const uint32_t attempts = static_cast<uint32_t>(settings_.max_attempts);
    const uint32_t round = task.root ? (state.failures - 1) % attempts + 1 : state.failures;
    if (round >= attempts) {
      GiveUp(task, state, error + " (gave up after " + std::to_string(state.failures) + (state.failures == 1 ? " attempt)" : " attempts)"), false, /*counted=*/true);
      return;
    }
    const double wait = std::max(Backoff(round), static_cast<double>(retry_after.value_or(0)));
    state.next_due = state.last_attempt + static_cast<int64_t>(std::ceil(wait));
    state.pending = !task.root;  // a source's own URL comes back with the source's schedule
    SaveState(task.record_url, state);
    // A source's own URL: the source is due again at the retry time, in this run or the next.
    if (task.root) SaveSourceState(task.source, state, state.next_due, /*ok=*/false);
    ++totals_.retries;
    spdlog::warn("{} (attempt {} of {}; retrying in {:.1f} s)", error, round, settings_.max_attempts, wait);
    task.redirects.clear();
    task.url = task.record_url;
    scheduler_.Add(std::move(task), Clock::now() + Seconds(wait));
  }

  void GiveUp(const CrawlTask& task, CrawlState& state, const std::string& error, bool skip, bool counted = false) {
    if (!skip && !counted) ++state.failures;
    state.last_error = error;
    state.pending = false;
    state.next_due = 0;
    SaveState(task.record_url, state);
    if (skip) {
      ++totals_.skipped;
      spdlog::info("skipped {}", error);
    } else {
      ++totals_.failed;
      spdlog::error("{}", error);
    }
    if (task.root) SourceDone(task.source, state, /*ok=*/false);
  }

  void Disallowed(const CrawlTask& task) {
    CrawlState state = LoadState(task.record_url, KindOf(task), task.source);
    state.pending = false;
    state.last_error = task.url + ": disallowed by robots.txt";
    SaveState(task.record_url, state);
    ++totals_.disallowed;
    spdlog::info("{}", state.last_error);
    if (task.root) SourceDone(task.source, state, /*ok=*/false);
  }

  // ---- articles the line has finished ---------------------------------------------------------

  // Articles handed to the line stay pending in the store until it has them: a run killed before
  // then fetches them again. Once the line is idle every one of them is settled; before that, the
  // stored ones are.
  void ConfirmStored(bool all) {
    if (unconfirmed_.empty()) return;
    const bool idle = all || LineFinished(line_) == pushed_;
    std::deque<std::string> keep;
    for (auto& url : unconfirmed_) {
      bool settled = idle;
      if (!settled) {
        auto has = store_.HasArticleUrl(url);
        settled = has.ok() && *has;
      }
      if (!settled) {
        keep.push_back(std::move(url));
        continue;
      }
      CrawlState state = LoadState(url, kArticleKind, "");
      state.pending = false;
      SaveState(url, state);
    }
    unconfirmed_.swap(keep);
  }

  const SourcesFile& sources_;
  const CrawlerSettings& settings_;
  Store& store_;
  ProcessingLine& line_;
  const CrawlOptions& options_;
  const std::atomic<bool>* stop_;
  Fetcher fetcher_;
  Scheduler scheduler_;
  const std::string robots_token_;
  std::mt19937_64 random_;
  std::unordered_map<std::string, const SourceConfig*> source_by_name_;
  std::unordered_set<std::string> active_sources_;  // sources whose own URL is queued or in flight
  std::unordered_map<std::string, std::unordered_set<std::string>> visited_discovery_;  // per source, this pass
  std::unordered_map<uint64_t, CrawlTask> in_flight_;
  std::unordered_map<uint64_t, std::string> robots_tags_;  // robots.txt transfers: tag -> host
  std::unordered_map<std::string, CrawlTask> robots_waiting_;  // the task that asked for the host's robots.txt
  std::unordered_map<std::string, RobotsEntry> robots_;
  std::deque<std::string> unconfirmed_;
  uint64_t pushed_ = 0;
  uint64_t next_tag_ = 1;
  CrawlTotals totals_;
};

}  // namespace

CrawlTotals RunCrawl(const SourcesFile& sources, const Cleaner& cleaner, const Extractor& extractor, Store& store,
                     const CrawlOptions& options, const std::atomic<bool>* stop) {
  ProcessingLine line(cleaner, extractor, store, options.line);
  line.Start();
  std::unique_ptr<ProgressLine> progress;
  if (options.show_progress) progress = std::make_unique<ProgressLine>("crawl", line);
  Crawler crawler(sources, store, line, options, stop);
  crawler.Run();
  CrawlTotals totals = crawler.totals();
  totals.line = line.Finish();
  crawler.ConfirmAll();
  totals.connections = crawler.connections();
  Status synced = store.Sync();
  if (!synced.ok()) spdlog::error("{}", synced.message());
  progress.reset();
  return totals;
}

std::string CrawlSummaryLine(const CrawlTotals& t) {
  return fmt::format("crawl: {} sources read, {} requests ({} not modified, {} connections), {} new links ({} already stored), "
                     "{} fetched, {} disallowed by robots.txt, {} skipped, {} retries, {} failed",
                     t.sources_crawled, t.requests, t.not_modified, t.connections, t.discovered, t.already_stored, t.fetched,
                     t.disallowed, t.skipped, t.retries, t.failed);
}

}  // namespace tw
