// The processing line shared by `ingest` and `crawl`: RawDoc -> cleaner xN -> extractor xN ->
// store x1, joined by bounded queues. Producers (the file reader, the fetcher) push into input().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "extractors/extraction.h"
#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/queue.h"
#include "pipeline/reader.h"
#include "pipeline/stage.h"
#include "storage/store.h"

namespace tw {

struct LineOptions {
  int cleaner_workers = 2;
  int extractor_workers = 2;
  size_t queue_capacity = 64;  // per queue; bounds memory whatever the input size
};

// Totals of a finished run, for the summary line, the bench and the tests.
struct LineTotals {
  uint64_t read = 0;           // documents that entered the line
  uint64_t stored = 0;         // articles written
  uint64_t duplicates = 0;     // articles already in the store
  uint64_t failed = 0;         // documents that failed in any stage (reader failures included)
  uint64_t skipped = 0;        // documents over a limit (size, text length, parse time): not failed
  std::vector<std::string> skipped_names;  // the first few of those, for the summary
  uint64_t events_new = 0;
  uint64_t events_merged = 0;
  uint64_t bytes = 0;          // raw document bytes that entered the line
  double seconds = 0;
  // The store's final Sync failed (logged): the articles counted as stored since its last durable
  // point may not be (a bulk load held in memory that could not be written out: none of them).
  bool sync_failed = false;
  std::vector<StageSnapshot> stages;
};

class ProcessingLine {
 public:
  // Everything a stage needs comes in here; the line owns only its queues and threads.
  ProcessingLine(const Cleaner& cleaner, const Extractor& extractor, Store& store, LineOptions options);
  // How many skipped documents the summary names (the log names every one).
  static constexpr size_t kSkippedNamed = 5;
  ~ProcessingLine();

  // The queue producers push into; close it (CloseInput) when there is nothing more to read.
  Queue<RawDoc>& input() { return raw_; }
  void Start();
  // Counts a document that failed before it could enter the line (unreadable file...).
  void CountInputFailure() { input_failures_.fetch_add(1); }
  // Counts a document a producer skipped over a limit (too large to read), named for the summary.
  void CountInputSkipped(const std::string& name);
  // No more input: stages drain in order. Then waits for them and syncs the store.
  LineTotals Finish();

  // Live view for the progress line.
  std::vector<StageSnapshot> Snapshot() const;
  struct QueueDepths {
    size_t raw, articles, extractions, capacity;
  };
  QueueDepths Depths() const;
  uint64_t events_new() const { return events_new_.load(); }

 private:
  const Cleaner& cleaner_;
  const Extractor& extractor_;
  Store& store_;
  LineOptions options_;
  BoundedQueue<RawDoc> raw_;
  BoundedQueue<Article> articles_;
  BoundedQueue<Extraction> extractions_;
  StageCounters clean_counters_{"clean"};
  StageCounters extract_counters_{"extract"};
  StageCounters store_counters_{"store"};
  std::unique_ptr<StageRunner<RawDoc, Article>> clean_stage_;
  std::unique_ptr<StageRunner<Article, Extraction>> extract_stage_;
  std::unique_ptr<StageRunner<Extraction, PutOutcome>> store_stage_;
  std::atomic<uint64_t> input_failures_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> events_new_{0};
  std::atomic<uint64_t> events_merged_{0};
  std::atomic<uint64_t> store_errors_{0};
  std::atomic<uint64_t> input_skipped_{0};
  // Set when the store cannot take writes (a full disk): the line stops taking input.
  std::atomic<bool> store_stopped_{false};
  std::mutex skipped_mu_;
  std::vector<std::string> skipped_names_;  // guarded by skipped_mu_
  int64_t started_ns_ = 0;

  void RecordSkipped(const std::string& name);
};

struct IngestOptions {
  LineOptions line;
  ReaderOptions reader;
  bool show_progress = false;  // a live line on stderr (only when it is a terminal)
};

// `ingest`: reads `paths` into the line until done or `stop` is set, then drains and finishes.
LineTotals RunIngest(const std::vector<std::string>& paths, const Cleaner& cleaner, const Extractor& extractor,
                     Store& store, const IngestOptions& options, const std::atomic<bool>* stop);

// "ingest: 12 read, 10 stored, 1 duplicate, 1 failed; events 14 new, 3 merged; 2.1 s, 5.7 articles/s",
// followed by "; 2 skipped over limits: big.html, deep.html" when documents were skipped.
std::string SummaryLine(const std::string& command, const LineTotals& totals);

}  // namespace tw
