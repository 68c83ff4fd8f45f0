// Extraction speed over cleaned text (no I/O, no cleaning): MB/s and sentences/s on one core, and
// the start-up time and memory of loading the gazetteer and rules. Prints a table; no pass/fail.
//
// The text: the articles of the project's samples/ and tests/articles/, cleaned once, then
// repeated until the corpus holds --mb megabytes.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "extractors/extractor.h"
#include "extractors/text.h"
#include "pipeline/cleaner.h"
#include "pipeline/reader.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  double target_mb = 20;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--mb") target_mb = std::atof(argv[i + 1]);
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
  for (const char* dir : {"samples", "tests/articles"}) {
    const std::string path = std::string(TW_SOURCE_DIR) + "/" + dir;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".txt" && ext != ".html") continue;
      auto doc = reader.ReadDocumentFile(entry.path().string());
      if (!doc.ok()) continue;
      auto article = cleaner.Process(*doc);
      if (article.ok() && !article->text.empty()) articles.push_back(std::move(article.value()));
    }
  }
  if (articles.empty()) {
    std::fprintf(stderr, "bench_extract: no articles found under samples/ and tests/articles/\n");
    return 2;
  }
  size_t bytes = 0, sentences = 0, events = 0, rounds = 0;
  const auto run = std::chrono::steady_clock::now();
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
  // Sentence splitting alone was counted inside the loop; time it apart to report the extractor's own rate.
  const auto split_start = std::chrono::steady_clock::now();
  size_t split_bytes = 0;
  for (size_t r = 0; r < rounds; ++r) {
    for (const auto& a : articles) {
      split_bytes += tw::SplitSentences(a.text).size();
    }
  }
  const double split_seconds = Seconds(split_start);
  const double extract_seconds = std::max(1e-9, seconds - split_seconds);

  std::printf("  %-40s %12s\n", "measure", "value");
  std::printf("  %-40s %12.2f\n", "start-up: gazetteer + rules loaded (s)", startup);
  std::printf("  %-40s %12.1f\n", "start-up: memory added (MB of RSS)", (rss_loaded - rss_before) / 1024.0);
  std::printf("  %-40s %12zu\n", "articles (distinct)", articles.size());
  std::printf("  %-40s %12.1f\n", "text extracted (MB)", bytes / 1e6);
  std::printf("  %-40s %12.1f\n", "extraction MB/s (one core)", bytes / 1e6 / extract_seconds);
  std::printf("  %-40s %12.0f\n", "sentences/s (one core)", sentences / extract_seconds);
  std::printf("  %-40s %12zu\n", "events found", events);
  std::printf("RESULT startup_s=%.3f startup_mb=%.1f mb_per_s=%.2f sentences_per_s=%.0f\n", startup,
              (rss_loaded - rss_before) / 1024.0, bytes / 1e6 / extract_seconds, sentences / extract_seconds);
  return split_bytes == 0 ? 1 : 0;
}
