#include "pipeline/ingest.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "pipeline/progress.h"

namespace tw {

namespace {
int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
void LogFailure(const Status& st) { spdlog::error("{}", st.message()); }

// The input a status names: messages start with it ("big.html: larger than the limit...").
std::string NamedInput(const Status& st) {
  const std::string& msg = st.message();
  return msg.substr(0, msg.find(": "));
}
}  // namespace

void ProcessingLine::CountInputSkipped(const std::string& name) {
  input_skipped_.fetch_add(1);
  RecordSkipped(name);
}

void ProcessingLine::RecordSkipped(const std::string& name) {
  std::lock_guard lock(skipped_mu_);
  if (skipped_names_.size() < kSkippedNamed) skipped_names_.push_back(name);
}

ProcessingLine::ProcessingLine(const Cleaner& cleaner, const Extractor& extractor, Store& store, LineOptions options)
    : cleaner_(cleaner),
      extractor_(extractor),
      store_(store),
      options_(options),
      raw_(options.queue_capacity),
      articles_(options.queue_capacity),
      extractions_(options.queue_capacity) {}

ProcessingLine::~ProcessingLine() {
  // A line destroyed without Finish() (an error path) must still stop its threads.
  raw_.Close();
  articles_.Close();
  extractions_.Close();
}

void ProcessingLine::Start() {
  started_ns_ = NowNs();
  clean_stage_ = std::make_unique<StageRunner<RawDoc, Article>>(
      clean_counters_, options_.cleaner_workers, raw_, &articles_,
      [this](RawDoc& doc) -> Result<Article> {
        bytes_.fetch_add(doc.bytes.size(), std::memory_order_relaxed);
        auto article = cleaner_.Process(doc);
        if (article.ok()) {
          spdlog::debug("{}: cleaned, {} bytes of text", doc.origin, article->text.size());
        } else if (article.status().code() == Status::Code::kTooLarge) {
          spdlog::warn("skipped {}", article.status().message());
          RecordSkipped(doc.origin);
        }
        return article;
      },
      LogFailure);
  extract_stage_ = std::make_unique<StageRunner<Article, Extraction>>(
      extract_counters_, options_.extractor_workers, articles_, &extractions_,
      [this](Article& article) -> Result<Extraction> {
        Extraction x = extractor_.Process(std::move(article));
        spdlog::debug("{}: {} cities, {} dates, {} events", x.article.origin, x.cities.size(), x.dates.size(), x.events.size());
        return x;
      },
      LogFailure);
  store_stage_ = std::make_unique<StageRunner<Extraction, PutOutcome>>(
      store_counters_, /*workers=*/1, extractions_, nullptr,
      [this](Extraction& x) -> Result<PutOutcome> {
        if (store_stopped_.load()) return Status::Cancelled(x.article.origin + ": not stored (the store stopped taking writes)");
        auto outcome = store_.Put(x);
        if (!outcome.ok()) {
          store_errors_.fetch_add(1);
          // A failed write (a full disk) fails every later one: stop taking input. What the store
          // holds is intact, and the next run skips it and goes on from there.
          if (outcome.status().code() == Status::Code::kIOError && !store_stopped_.exchange(true)) {
            spdlog::error("{}; stopping: the documents still in flight are not stored, and a new run picks them up",
                          outcome.status().message());
            raw_.Close();
          }
          return outcome.status().WithContext(x.article.origin);
        }
        if (outcome->duplicate) return Status::Duplicate(x.article.origin);
        events_new_.fetch_add(outcome->events_new);
        events_merged_.fetch_add(outcome->events_merged);
        return outcome;
      },
      [](const Status& st) {
        // After the store stopped, the documents still in flight fail too: one line said why.
        if (st.code() == Status::Code::kCancelled) spdlog::debug("{}", st.message());
        else LogFailure(st);
      });
  clean_stage_->Start();
  extract_stage_->Start();
  store_stage_->Start();
}

LineTotals ProcessingLine::Finish() {
  raw_.Close();
  clean_stage_->Join();
  extract_stage_->Join();
  store_stage_->Join();
  Status synced = store_.Sync();
  if (!synced.ok()) spdlog::error("{}", synced.message());

  LineTotals t;
  t.sync_failed = !synced.ok();
  t.stages = Snapshot();
  const auto& clean = t.stages[0];
  const auto& extract = t.stages[1];
  const auto& store = t.stages[2];
  t.read = clean.in + input_failures_.load() + input_skipped_.load();
  t.stored = store.out;
  t.duplicates = store.skipped;
  t.failed = input_failures_.load() + clean.failed + extract.failed + store.failed;
  t.skipped = input_skipped_.load() + clean.skipped + extract.skipped;
  {
    std::lock_guard lock(skipped_mu_);
    t.skipped_names = skipped_names_;
  }
  t.events_new = events_new_.load();
  t.events_merged = events_merged_.load();
  t.bytes = bytes_.load();
  t.seconds = (NowNs() - started_ns_) / 1e9;
  return t;
}

std::vector<StageSnapshot> ProcessingLine::Snapshot() const {
  return {tw::Snapshot(clean_counters_), tw::Snapshot(extract_counters_), tw::Snapshot(store_counters_)};
}

ProcessingLine::QueueDepths ProcessingLine::Depths() const {
  return {raw_.size(), articles_.size(), extractions_.size(), options_.queue_capacity};
}

LineTotals RunIngest(const std::vector<std::string>& paths, const Cleaner& cleaner, const Extractor& extractor,
                     Store& store, const IngestOptions& options, const std::atomic<bool>* stop) {
  ProcessingLine line(cleaner, extractor, store, options.line);
  line.Start();
  std::unique_ptr<ProgressLine> progress;
  if (options.show_progress) progress = std::make_unique<ProgressLine>("ingest", line);

  DocumentReader reader(options.reader);
  reader.Read(
      paths, [&](RawDoc& doc) { return line.input().Push(doc); },
      [&](const Status& st) {
        if (st.code() == Status::Code::kTooLarge) {
          spdlog::warn("skipped {}", st.message());
          line.CountInputSkipped(NamedInput(st));
          return;
        }
        spdlog::error("{}", st.message());
        line.CountInputFailure();
      },
      stop);
  if (stop && stop->load()) spdlog::info("ingest: stopped reading; draining the articles in flight");
  LineTotals totals = line.Finish();
  progress.reset();  // clears the live line before the summary
  return totals;
}

std::string SummaryLine(const std::string& command, const LineTotals& t) {
  const double rate = t.seconds > 0 ? t.read / t.seconds : 0;
  std::string line = fmt::format("{}: {} read, {} stored, {} duplicate, {} failed; events {} new, {} merged; {:.1f} s, {:.1f} articles/s",
                                 command, t.read, t.stored, t.duplicates, t.failed, t.events_new, t.events_merged, t.seconds, rate);
  if (t.skipped > 0) {
    line += fmt::format("; {} skipped over limits: {}", t.skipped, fmt::join(t.skipped_names, ", "));
    if (t.skipped > t.skipped_names.size()) line += fmt::format(" and {} more (see the warnings above)", t.skipped - t.skipped_names.size());
  }
  return line;
}

}  // namespace tw
