#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <thread>

#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/cli/commands.h"
#include "pipeline/ingest.h"
#include "pipeline/progress.h"
#include "pipeline/stop_signal.h"
#include "storage/store.h"

namespace tw::cli {

namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  std::string db;
  std::string rules;
  std::string published;
  int workers = 0;
  size_t queue_capacity = 64;
  size_t max_document_mb = 64;
  size_t max_text_mb = 4;
  double max_parse_seconds = 30;
  bool no_progress = false;
  bool bulk = false;
  size_t bulk_buffer_mb = 64;
  size_t bulk_memory_mb = kDefaultBulkMemoryMb;
};

int RunIngestCommand(const IngestArgs& args) {
  StopSignal stop;  // before any thread starts, so workers do not receive SIGINT/SIGTERM
  ExtractorOptions extractor_options;
  extractor_options.rules_dir = args.rules;
  extractor_options.default_published = args.published;
  auto extractor = Extractor::Open(extractor_options);
  if (!extractor.ok()) {
    spdlog::error("{}", extractor.status().message());
    return kExitUsage;
  }
  StoreOptions store_options = args.bulk ? BulkLoadOptions(args.bulk_buffer_mb, args.bulk_memory_mb) : StoreOptions{};
  store_options.place_names = [&x = **extractor](const Place& p) { return x.PlaceNames(p); };
  auto store = Store::Open(args.db, store_options);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return kExitUsage;
  }
  CleanerOptions cleaner_options;
  cleaner_options.max_text_bytes = args.max_text_mb << 20;
  cleaner_options.max_seconds = args.max_parse_seconds;
  Cleaner cleaner(cleaner_options);
  IngestOptions options;
  options.line = MakeLineOptions(args.workers, args.queue_capacity);
  options.reader.max_document_bytes = args.max_document_mb << 20;
  options.show_progress = !args.no_progress && ProgressLine::StderrIsTerminal();

  LineTotals totals = RunIngest(args.paths, cleaner, **extractor, **store, options, &stop.requested());
  // The summary line is always printed, even with --quiet.
  std::cerr << SummaryLine("ingest", totals) << std::endl;
  return totals.failed > 0 || totals.sync_failed ? kExitInputsFailed : kExitOk;
}

}  // namespace

Command AddIngestCommand(CLI::App& app) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* sub = app.add_subcommand("ingest", "Clean, extract and store saved articles (files, folders, .gz, WARC)");
  sub->add_option("paths", args->paths, "Files or folders (.html .htm .xhtml .txt, optionally .gz; .warc, .warc.gz)")
      ->required();
  AddDbOption(*sub, &args->db);
  AddRulesOption(*sub, &args->rules);
  sub->add_option("--published", args->published, "Publication date for documents that give none (anchors relative dates)")
      ->check(IsoDay());
  sub->add_option("-j,--workers", args->workers, "Cleaner and extractor threads each (default: one per core)")
      ->check(CLI::Range(1, 256));
  sub->add_option("--queue-capacity", args->queue_capacity, "Documents each queue holds before producers wait")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sub->add_option("--max-document-mb", args->max_document_mb, "Skip documents larger than this (MiB, after gunzip)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  sub->add_option("--max-text-mb", args->max_text_mb, "Skip documents whose main text is longer than this (MiB)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  sub->add_option("--max-parse-seconds", args->max_parse_seconds,
                  "Skip documents that take longer than this to decode, parse and clean (0: no limit)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  sub->add_flag("--no-progress", args->no_progress, "No live progress line on stderr");
  sub->add_flag("--bulk", args->bulk,
                "Bulk load (many articles): no write-ahead log; into an empty store held in memory and written out "
                "as sorted tables at once, else compaction once at the end; a kill loses only what was not yet "
                "written out or flushed, and the next run stores it");
  sub->add_option("--bulk-buffer-mb", args->bulk_buffer_mb, "With --bulk: memtable budget (MiB; the block cache gets half)")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  sub->add_option("--bulk-memory-mb", args->bulk_memory_mb,
                  "With --bulk into an empty store: hold the load in memory up to this much (MiB), then write it out "
                  "as sorted tables at once; the rest goes through memtables (0: never in memory)")
      ->check(CLI::Range(0, 1048576))
      ->capture_default_str();
  return {sub, [args] { return RunIngestCommand(*args); }};
}

}  // namespace tw::cli
