// Extraction speed over cleaned text (no I/O, no cleaning): MB/s and sentences/s on one core, and
// the start-up time and memory of loading the gazetteer and rules. Prints a table; no pass/fail.
//
// The text: the articles of the project's samples/ and tests/articles/ (or of --dir DIR: .txt,
// .html, .html.gz), cleaned once, then repeated until the corpus holds --mb megabytes. Rates are
// per CPU second of this process (the machine may be shared), wall clock alongside.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/corpus.h"
#include "extractors/extractor.h"
#include "extractors/text.h"
#include "pipeline/cleaner.h"
#include "pipeline/reader.h"

namespace {

using tw::bench::PeakRssKb;
using tw::bench::ProcessCpuSeconds;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  double target_mb = 20;
  // Where the articles come from: by default the project's samples/ and tests/articles/ (all about
  // ties, so event rules fire often); --dir reads pages of any kind (real news pages).
  std::vector<std::string> dirs = {std::string(TW_SOURCE_DIR) + "/samples", std::string(TW_SOURCE_DIR) + "/tests/articles"};
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--mb") target_mb = std::atof(argv[i + 1]);
    if (std::string(argv[i]) == "--dir") dirs = {argv[i + 1]};
  }
  const long rss_before = PeakRssKb();
  const auto start = std::chrono::steady_clock::now();
  auto extractor = tw::Extractor::Open(tw::ExtractorOptions{});
  if (!extractor.ok()) {
    std::fprintf(stderr, "bench_extract: %s\n", extractor.status().message().c_str());
    return 2;
  }
  const double startup = Seconds(start);
  const long rss_loaded = PeakRssKb();

  // Cleaned articles to extract from.
  std::vector<tw::Article> articles;
  tw::DocumentReader reader{tw::ReaderOptions{}};
  tw::Cleaner cleaner;
  for (const std::string& path : dirs) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".txt" && ext != ".html" && ext != ".gz") continue;  // the reader unpacks .gz
      auto doc = reader.ReadDocumentFile(entry.path().string());
      if (!doc.ok()) continue;
      auto article = cleaner.Process(*doc);
      if (article.ok() && !article->text.empty()) articles.push_back(std::move(article.value()));
    }
  }
  if (articles.empty()) {
    std::fprintf(stderr, "bench_extract: no articles (.txt, .html, .gz) found in the directories read\n");
    return 2;
  }
  size_t bytes = 0, sentences = 0, events = 0, rounds = 0;
  const auto run = std::chrono::steady_clock::now();
  const double run_cpu = ProcessCpuSeconds();
  while (bytes < target_mb * 1e6) {
    for (const auto& a : articles) {
      tw::Article copy = a;
      if (copy.published.empty()) copy.published = {"2024-05-15", "bench"};
      bytes += copy.text.size();
      sentences += tw::SplitSentences(copy.text).size();
      events += (*extractor)->Process(std::move(copy)).events.size();
    }
    ++rounds;
  }
  const double seconds = Seconds(run);
  const double cpu_seconds = ProcessCpuSeconds() - run_cpu;
  // Sentence splitting alone was counted inside the loop; time it apart to report the extractor's own rate.
  const auto split_start = std::chrono::steady_clock::now();
  const double split_cpu_start = ProcessCpuSeconds();
  size_t split_bytes = 0;
  for (size_t r = 0; r < rounds; ++r) {
    for (const auto& a : articles) {
      split_bytes += tw::SplitSentences(a.text).size();
    }
  }
  const double split_seconds = Seconds(split_start);
  const double split_cpu = ProcessCpuSeconds() - split_cpu_start;
  const double extract_seconds = std::max(1e-9, seconds - split_seconds);
  const double extract_cpu = std::max(1e-9, cpu_seconds - split_cpu);

  std::printf("  %-40s %12s\n", "measure", "value");
  std::printf("  %-40s %12.2f\n", "start-up: gazetteer + rules loaded (s)", startup);
  std::printf("  %-40s %12.1f\n", "start-up: memory added (MB of RSS)", (rss_loaded - rss_before) / 1024.0);
  std::printf("  %-40s %12zu\n", "articles (distinct)", articles.size());
  std::printf("  %-40s %12.1f\n", "text extracted (MB)", bytes / 1e6);
  std::printf("  %-40s %12.1f\n", "extraction MB/s (one core, CPU time)", bytes / 1e6 / extract_cpu);
  std::printf("  %-40s %12.0f\n", "sentences/s (one core, CPU time)", sentences / extract_cpu);
  std::printf("  %-40s %12.1f\n", "extraction MB/s (wall clock)", bytes / 1e6 / extract_seconds);
  std::printf("  %-40s %12.1f\n", "peak memory while extracting (MB RSS)", PeakRssKb() / 1024.0);
  std::printf("  %-40s %12zu\n", "events found", events);
  std::printf("RESULT startup_s=%.3f startup_mb=%.1f mb_per_s=%.2f sentences_per_s=%.0f wall_mb_per_s=%.2f\n", startup,
              (rss_loaded - rss_before) / 1024.0, bytes / 1e6 / extract_cpu, sentences / extract_cpu, bytes / 1e6 / extract_seconds);
  return split_bytes == 0 ? 1 : 0;
}
