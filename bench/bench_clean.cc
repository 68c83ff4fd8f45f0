// The cleaner on the article-extraction benchmark pages: quality output and speed.
//   bench_clean [--pages DIR] [--predictions OUT.jsonl] [--rounds N] [--scaling]
// --predictions writes one {"id","text"} line per page for ../shared/bench/score_extraction.py.
// Then it times, in CPU seconds of one thread, a bare Gumbo parse of every page and the whole cleaner (decode +
// parse + main text + metadata) over the same pages in the same run, and prints a table with the
// ratio between the two and the peak RSS. --scaling adds MB/s and peak RSS on generated pages of growing size,
// each in a child process (both must stay linear in the page size). No pass/fail. Run by `make bench` and
// `make bench-clean`.
#include <gumbo.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/corpus.h"
#include "pipeline/cleaner.h"
#include "pipeline/gzip.h"

namespace {

using tw::bench::PeakRssKb;
using tw::bench::ThreadCpuSeconds;

namespace fs = std::filesystem;

struct Page {
  std::string id;
  tw::RawDoc doc;
};

std::vector<Page> LoadPages(const std::string& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 8 && name.compare(name.size() - 8, 8, ".html.gz") == 0) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Page> pages;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto html = tw::Gunzip(gz, 64u << 20);
    if (!html.ok()) {
      std::fprintf(stderr, "bench_clean: %s: %s\n", path.c_str(), html.status().message().c_str());
      continue;
    }
    Page p;
    p.id = path.filename().string();
    p.id.resize(p.id.size() - 8);
    p.doc.url = "file://" + fs::absolute(path).string();
    p.doc.origin = path.string();
    p.doc.bytes = std::move(*html);
    p.doc.content_type = "text/html";
    p.doc.fetch_time = 1893456000;  // 2030-01-01: the pages' own dates all lie before it
    pages.push_back(std::move(p));
  }
  return pages;
}

// The baseline: Gumbo's parse alone, tree built and freed, nothing read from it.
void BareGumboParse(const std::string& html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&options, html.data(), html.size());
  gumbo_destroy_output(&options, out);
}

struct Timing {
  double seconds = 0;
  size_t failed = 0;
};

Timing TimeCleaner(const tw::Cleaner& cleaner, const std::vector<Page>& pages, int rounds) {
  Timing t;
  const double start = ThreadCpuSeconds();
  for (int r = 0; r < rounds; ++r) {
    for (const auto& p : pages) t.failed += !cleaner.Process(p.doc).ok();
  }
  t.seconds = ThreadCpuSeconds() - start;
  return t;
}

Timing TimeGumbo(const std::vector<Page>& pages, int rounds) {
  Timing t;
  const double start = ThreadCpuSeconds();
  for (int r = 0; r < rounds; ++r) {
    for (const auto& p : pages) BareGumboParse(p.doc.bytes);
  }
  t.seconds = ThreadCpuSeconds() - start;
  return t;
}

// A generated news page of about `bytes` bytes: header, many article paragraphs, link lists.
std::string GeneratedPage(size_t bytes) {
  std::string html = "<!doctype html><html lang=en><head><title>Generated page</title></head><body>"
                     "<nav><ul><li><a href=/>Home</a></li><li><a href=/world>World</a></li></ul></nav><article>";
  const std::string paragraph =
      "<p>The council of a mid-sized town approved a new partnership with a city abroad on Tuesday, "
      "after a debate about costs, school exchanges and <a href=/x>trade missions</a>, officials said.</p>\n";
  const std::string related = "<div class=related><ul><li><a href=/a>Another story</a></li><li><a href=/b>More news</a></li></ul></div>\n";
  for (size_t i = 0; html.size() < bytes; ++i) html += i % 20 == 19 ? related : paragraph;
  html += "</article><footer>Footer text</footer></body></html>";
  return html;
}

}  // namespace

int main(int argc, char** argv) {
  std::string pages_dir = TW_SHARED_DIR "/bench/article-extraction/html";
  std::string predictions;
  int rounds = 3;
  bool scaling = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--pages" && i + 1 < argc) pages_dir = argv[++i];
    else if (arg == "--predictions" && i + 1 < argc) predictions = argv[++i];
    else if (arg == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--scaling") scaling = true;
    else {
      std::fprintf(stderr, "usage: bench_clean [--pages DIR] [--predictions OUT.jsonl] [--rounds N] [--scaling]\n");
      return 2;
    }
  }
  spdlog::set_level(spdlog::level::err);
  if (!fs::is_directory(pages_dir)) {
    std::fprintf(stderr, "bench_clean: %s: no such folder (the benchmark pages live in ../shared/bench)\n", pages_dir.c_str());
    return 2;
  }
  const std::vector<Page> pages = LoadPages(pages_dir);
  if (pages.empty()) {
    std::fprintf(stderr, "bench_clean: %s: no .html.gz pages\n", pages_dir.c_str());
    return 2;
  }
  size_t total_bytes = 0;
  for (const auto& p : pages) total_bytes += p.doc.bytes.size();
  tw::Cleaner cleaner;

  if (!predictions.empty()) {
    std::ofstream out(predictions);
    for (const auto& p : pages) {
      auto a = cleaner.Process(p.doc);
      nlohmann::json row = {{"id", p.id}, {"text", a.ok() ? a->text : std::string()}};
      if (!a.ok()) std::fprintf(stderr, "bench_clean: %s\n", a.status().message().c_str());
      out << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
  }

  // Warm up both (page cache, allocator), then time them back to back.
  TimeGumbo(pages, 1);
  TimeCleaner(cleaner, pages, 1);
  const Timing gumbo = TimeGumbo(pages, rounds);
  const Timing clean = TimeCleaner(cleaner, pages, rounds);
  const double n = static_cast<double>(pages.size()) * rounds;
  const double mb = static_cast<double>(total_bytes) * rounds / 1e6;
  std::printf("%zu pages, %.1f MB of HTML, %d rounds, one thread (rates per CPU second)\n", pages.size(),
              total_bytes / 1e6, rounds);
  std::printf("  %-34s %10s %10s %14s\n", "", "pages/s", "MB/s", "vs Gumbo parse");
  std::printf("  %-34s %10.1f %10.2f %14s\n", "Gumbo parse alone (baseline)", n / gumbo.seconds, mb / gumbo.seconds, "1.00");
  std::printf("  %-34s %10.1f %10.2f %14.2f\n", "cleaner (decode+parse+text+meta)", n / clean.seconds, mb / clean.seconds,
              gumbo.seconds / clean.seconds);
  std::printf("  failed documents: %zu; peak RSS %.1f MB\n", clean.failed / rounds, PeakRssKb() / 1024.0);

  if (scaling) {
    // Each size in a child process of its own, so each row's peak RSS is that page's (plus the
    // ~30 MB this process holds when it forks). Without the markup cap, to show the cost itself,
    // except the last row: the default cleaner on the largest page.
    std::printf("\nlinear in page size (generated news pages, whole page parsed; one process per row):\n");
    std::printf("  %-26s %10s %12s\n", "page MB", "MB/s", "peak RSS MB");
    std::fflush(stdout);
    for (size_t size : {size_t{100} << 10, size_t{1} << 20, size_t{10} << 20, size_t{50} << 20, size_t{0}}) {
      const pid_t child = fork();
      if (child < 0) {
        std::perror("bench_clean: fork");
        return 1;
      }
      if (child > 0) {
        int status = 0;
        waitpid(child, &status, 0);
        continue;
      }
      const bool capped = size == 0;
      if (capped) size = size_t{50} << 20;
      tw::CleanerOptions options;
      if (!capped) options.max_html_bytes = SIZE_MAX;
      const tw::Cleaner sized_cleaner(options);
      Page p;
      p.id = "generated";
      p.doc.origin = "generated.html";
      p.doc.url = "file:///generated.html";
      p.doc.content_type = "text/html";
      p.doc.bytes = GeneratedPage(size);
      const int reps = std::max<int>(1, static_cast<int>((4u << 20) / size));
      const Timing t = TimeCleaner(sized_cleaner, {p}, reps);
      const std::string label = fmt::format("{:.1f}{}", p.doc.bytes.size() / 1e6, capped ? " (default: 8 MB parsed)" : "");
      std::printf("  %-26s %10.2f %12.1f%s\n", label.c_str(), p.doc.bytes.size() * reps / 1e6 / t.seconds,
                  PeakRssKb() / 1024.0, t.failed ? "  (failed)" : "");
      std::fflush(stdout);
      _exit(0);
    }
  }
  return 0;
}
