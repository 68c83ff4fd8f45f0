#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <thread>

#include "extractors/extractor.h"
#include "pipeline/cli/commands.h"
#include "pipeline/stop_signal.h"
#include "storage/reextract.h"
#include "storage/store.h"

namespace tw::cli {

namespace {

struct ReextractArgs {
  std::string db;
  std::string rules;
  int workers = 0;
};

int RunReextractCommand(const ReextractArgs& args) {
  StopSignal stop;  // before any thread starts
  ExtractorOptions extractor_options;
  extractor_options.rules_dir = args.rules;
  auto extractor = Extractor::Open(extractor_options);
  if (!extractor.ok()) {
    spdlog::error("{}", extractor.status().message());
    return kExitUsage;
  }
  // Re-extraction also indexes names the gazetteer has gained since the articles were stored.
  StoreOptions store_options;
  store_options.place_names = [&x = **extractor](const Place& p) { return x.PlaceNames(p); };
  auto store = Store::Open(args.db, store_options);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return kExitUsage;
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ReextractTotals totals = Reextract(**store, **extractor, args.workers > 0 ? args.workers : cores, &stop.requested());
  std::cerr << ReextractSummary(totals) << std::endl;
  return totals.failed > 0 ? kExitInputsFailed : kExitOk;
}

}  // namespace

Command AddReextractCommand(CLI::App& app) {
  auto args = std::make_shared<ReextractArgs>();
  CLI::App* sub = app.add_subcommand("reextract", "Run extraction again over every stored article (after the rules changed)");
  AddDbOption(*sub, &args->db);
  AddRulesOption(*sub, &args->rules);
  sub->add_option("-j,--workers", args->workers, "Extractor threads (default: one per core)")->check(CLI::Range(1, 256));
  return {sub, [args] { return RunReextractCommand(*args); }};
}

}  // namespace tw::cli
