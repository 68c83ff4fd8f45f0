// End-to-end ingest throughput over a generated corpus, with per-stage busy time and peak RSS.
//   bench_ingest [--articles N] [--workers N] [--keep DIR]
// Prints a table; no pass/fail. Run by `make bench`.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "bench/corpus.h"
#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/ingest.h"
#include "storage/store.h"

using tw::bench::PeakRssKb;

int main(int argc, char** argv) {
  int articles = 5000;
  int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--articles") == 0) articles = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--workers") == 0) workers = std::atoi(argv[i + 1]);
  }
  spdlog::set_level(spdlog::level::warn);
  char tmpl[] = "/tmp/twinwatch-bench-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const uint64_t bytes = tw::bench::WriteCorpus(dir + "/corpus", articles);
  const long rss_after_corpus = PeakRssKb();

  auto extractor = tw::Extractor::Open(tw::ExtractorOptions{});
  if (!extractor.ok()) {
    std::fprintf(stderr, "bench_ingest: %s\n", extractor.status().message().c_str());
    return 2;
  }
  auto store = tw::Store::Open(dir + "/db");
  if (!store.ok()) {
    std::fprintf(stderr, "bench_ingest: %s\n", store.status().message().c_str());
    return 2;
  }
  tw::Cleaner cleaner;
  tw::IngestOptions options;
  options.line.cleaner_workers = workers;
  options.line.extractor_workers = workers;
  tw::LineTotals t = tw::RunIngest({dir + "/corpus"}, cleaner, **extractor, **store, options, nullptr);
  const long peak_rss = PeakRssKb();
  store->reset();
  std::filesystem::remove_all(dir);

  std::printf("ingest of %d generated articles (%.1f MB of HTML), %d cleaner + %d extractor threads\n", articles,
              bytes / 1e6, workers, workers);
  std::printf("  %-26s %12s\n", "measure", "value");
  std::printf("  %-26s %12.2f\n", "wall seconds", t.seconds);
  std::printf("  %-26s %12.1f\n", "articles/s", t.read / t.seconds);
  std::printf("  %-26s %12.2f\n", "MB/s of HTML", bytes / 1e6 / t.seconds);
  std::printf("  %-26s %12llu\n", "stored", static_cast<unsigned long long>(t.stored));
  std::printf("  %-26s %12llu\n", "failed", static_cast<unsigned long long>(t.failed));
  std::printf("  %-26s %12llu\n", "events new", static_cast<unsigned long long>(t.events_new));
  std::printf("  %-26s %12llu\n", "events merged", static_cast<unsigned long long>(t.events_merged));
  std::printf("  %-26s %12.1f\n", "peak RSS MB", peak_rss / 1024.0);
  std::printf("  %-26s %12.1f\n", "RSS before ingest MB", rss_after_corpus / 1024.0);
  std::printf("  per stage: %-10s %8s %8s %12s %14s\n", "stage", "in", "failed", "busy s", "ms/article");
  for (const auto& s : t.stages) {
    std::printf("             %-10s %8llu %8llu %12.2f %14.3f\n", s.name.c_str(), static_cast<unsigned long long>(s.in),
                static_cast<unsigned long long>(s.failed), s.busy_seconds, s.in ? 1000.0 * s.busy_seconds / s.in : 0.0);
  }
  std::printf("RESULT articles=%d peak_rss_kb=%ld articles_per_s=%.1f\n", articles, peak_rss, t.read / t.seconds);
  return 0;
}
