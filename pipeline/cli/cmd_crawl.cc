#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/cli/commands.h"
#include "pipeline/crawl.h"
#include "pipeline/progress.h"
#include "pipeline/sources.h"
#include "pipeline/stop_signal.h"
#include "storage/store.h"

namespace tw::cli {

namespace {

struct CrawlArgs {
  std::string sources;
  std::string db;
  std::string rules;
  bool once = false;
  int workers = 0;
  size_t queue_capacity = 64;
  bool no_progress = false;
};

int RunCrawlCommand(const CrawlArgs& args) {
  StopSignal stop;  // before any thread starts, so workers do not receive SIGINT/SIGTERM
  auto sources = LoadSourcesFile(args.sources);
  if (!sources.ok()) {
    spdlog::error("{}", sources.status().message());
    return kExitUsage;
  }
  ExtractorOptions extractor_options;
  extractor_options.rules_dir = args.rules;
  auto extractor = Extractor::Open(extractor_options);
  if (!extractor.ok()) {
    spdlog::error("{}", extractor.status().message());
    return kExitUsage;
  }
  StoreOptions store_options;
  store_options.place_names = [&x = **extractor](const Place& p) { return x.PlaceNames(p); };
  auto store = Store::Open(args.db, store_options);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return kExitUsage;
  }
  Cleaner cleaner;
  CrawlOptions options;
  options.line = MakeLineOptions(args.workers, args.queue_capacity);
  options.once = args.once;
  options.show_progress = !args.no_progress && ProgressLine::StderrIsTerminal();
  spdlog::info("crawl: {} sources from {}{}", sources->sources.size(), args.sources,
               args.once ? " (one pass)" : "; running until SIGINT/SIGTERM");

  CrawlTotals totals = RunCrawl(*sources, cleaner, **extractor, **store, options, &stop.requested());
  // The summary lines are always printed, even with --quiet.
  std::cerr << CrawlSummaryLine(totals) << '\n' << SummaryLine("crawl", totals.line) << std::endl;
  return totals.failed > 0 || totals.line.failed > 0 ? kExitInputsFailed : kExitOk;
}

}  // namespace

Command AddCrawlCommand(CLI::App& app) {
  auto args = std::make_shared<CrawlArgs>();
  CLI::App* sub = app.add_subcommand("crawl", "Crawl the feeds, sitemaps and listing pages of a sources file into the store");
  sub->add_option("--sources", args->sources, "Sources file (TOML: [crawler] settings and [[source]] entries)")->required();
  AddDbOption(*sub, &args->db);
  AddRulesOption(*sub, &args->rules);
  sub->add_flag("--once", args->once, "One pass over what is due, then exit (cron, systemd timers)");
  sub->add_option("-j,--workers", args->workers, "Cleaner and extractor threads each (default: one per core)")
      ->check(CLI::Range(1, 256));
  sub->add_option("--queue-capacity", args->queue_capacity, "Documents each queue holds before producers wait")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sub->add_flag("--no-progress", args->no_progress, "No live progress line on stderr");
  return {sub, [args] { return RunCrawlCommand(*args); }};
}

}  // namespace tw::cli
