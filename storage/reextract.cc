#include "storage/reextract.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "pipeline/queue.h"
#include "pipeline/stage.h"

namespace tw {

ReextractTotals Reextract(Store& store, const Extractor& extractor, int workers, const std::atomic<bool>* stop) {
  const auto started = std::chrono::steady_clock::now();
  ReextractTotals totals;
  BoundedQueue<Article> articles(64);
  BoundedQueue<Extraction> extractions(64);
  StageCounters extract_counters{"extract"}, store_counters{"store"};
  auto log_failure = [](const Status& st) { spdlog::error("{}", st.message()); };
  StageRunner<Article, Extraction> extract_stage(
      extract_counters, workers, articles, &extractions,
      [&](Article& a) -> Result<Extraction> { return extractor.Process(std::move(a)); }, log_failure);
  // Only the store thread touches the totals.
  StageRunner<Extraction, PutOutcome> store_stage(
      store_counters, 1, extractions, nullptr,
      [&](Extraction& x) -> Result<PutOutcome> {
        auto outcome = store.Put(x, PutMode::kReextract);
        if (!outcome.ok()) return outcome.status().WithContext(x.article.url);
        if (outcome->changed) {
          ++totals.changed;
          spdlog::debug("{}: events {} new, {} merged, {} removed", x.article.url, outcome->events_new,
                        outcome->events_merged, outcome->events_removed);
        }
        totals.events_new += outcome->events_new;
        totals.events_merged += outcome->events_merged;
        totals.events_removed += outcome->events_removed;
        return outcome;
      },
      log_failure);
  extract_stage.Start();
  store_stage.Start();
  // The iterator reads a snapshot, so articles re-stored meanwhile are not read twice.
  Status st = store.ForEachArticle([&](const StoredArticle& stored) {
    if (stop && stop->load()) return false;
    Article a = stored.article;
    return articles.Push(a);
  });
  if (!st.ok()) {
    spdlog::error("{}", st.message());
    ++totals.failed;
  }
  articles.Close();
  extract_stage.Join();
  store_stage.Join();
  Status synced = store.Sync();
  if (!synced.ok()) spdlog::error("{}", synced.message());
  totals.articles = store_counters.in.load();
  totals.failed += store_counters.failed.load() + extract_counters.failed.load();
  totals.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return totals;
}

std::string ReextractSummary(const ReextractTotals& t) {
  return fmt::format("reextract: {} articles, {} changed, {} failed; events {} new, {} merged, {} removed; {:.1f} s",
                     t.articles, t.changed, t.failed, t.events_new, t.events_merged, t.events_removed, t.seconds);
}

}  // namespace tw
