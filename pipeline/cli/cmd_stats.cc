#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "pipeline/cli/commands.h"
#include "storage/store.h"

namespace tw::cli {

namespace {

struct StatsArgs {
  std::string db;
  std::string format;
};

int RunStatsCommand(const StatsArgs& args) {
  std::string format = args.format.empty() ? (StdoutIsTerminal() ? "table" : "json") : args.format;
  if (format != "table" && format != "json") {
    spdlog::error("--format '{}' is not supported: use table or json", args.format);
    return kExitUsage;
  }
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(args.db, options);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return kExitUsage;
  }
  auto counts = (*store)->Counts();
  if (!counts.ok()) {
    spdlog::error("{}", counts.status().message());
    return kExitInputsFailed;
  }
  nlohmann::json by_type = nlohmann::json::object();
  for (const char* t : {"agreement", "termination", "suspension", "proposal"}) {
    auto it = counts->events_by_type.find(t);
    by_type[t] = it == counts->events_by_type.end() ? 0 : it->second;
  }
  if (format == "json") {
    nlohmann::json j = {{"db", args.db},
                        {"articles", counts->articles},
                        {"events", counts->events},
                        {"events_by_type", by_type},
                        {"sources", counts->sources}};
    std::cout << j.dump() << '\n';
  } else {
    std::cout << "database     " << args.db << '\n'
              << "articles     " << counts->articles << '\n'
              << "events       " << counts->events << '\n';
    for (const auto& [type, n] : by_type.items()) std::cout << "  " << type << std::string(11 - type.size(), ' ') << n << '\n';
    std::cout << "sources      " << counts->sources << '\n';
  }
  return kExitOk;
}

}  // namespace

Command AddStatsCommand(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* sub = app.add_subcommand("stats", "Counts of stored articles, events by type and sources");
  AddDbOption(*sub, &args->db);
  sub->add_option("--format", args->format, "table or json (default: table on a terminal, else json)");
  return {sub, [args] { return RunStatsCommand(*args); }};
}

}  // namespace tw::cli
