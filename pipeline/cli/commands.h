// The subcommands of the twinwatch CLI. Each Add*Command registers its options on `app` and returns
// the function that runs it once parsing has chosen it; that function returns the exit status
// (CONTRACT.md: 0 success, 1 some inputs failed, 2 bad usage or configuration).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "pipeline/ingest.h"

namespace tw::cli {

using Runner = std::function<int()>;

// A registered subcommand and what runs it.
struct Command {
  CLI::App* app;
  Runner run;
};

constexpr int kExitOk = 0;
constexpr int kExitInputsFailed = 1;
constexpr int kExitUsage = 2;

Command AddIngestCommand(CLI::App& app);
Command AddCleanCommand(CLI::App& app);
Command AddExtractCommand(CLI::App& app);
Command AddRulesCommand(CLI::App& app);
Command AddQueryCommand(CLI::App& app);
Command AddStatsCommand(CLI::App& app);
Command AddCrawlCommand(CLI::App& app);
Command AddServeCommand(CLI::App& app);
Command AddReextractCommand(CLI::App& app);

// Shared option helpers.
inline const char* kDefaultDb = "var/twinwatch.db";
void AddDbOption(CLI::App& sub, std::string* db);
void AddRulesOption(CLI::App& sub, std::string* rules_dir);
// --cache-mb: the block cache of a reader of the store (MiB, 1 to 1048576; the default is *cache_mb).
void AddCacheOption(CLI::App& sub, size_t* cache_mb);
// Validator for YYYY-MM-DD on --published.
CLI::Validator IsoDay();
bool StdoutIsTerminal();
// The processing line's shape from -j/--workers (0: one thread per core per stage) and --queue-capacity.
LineOptions MakeLineOptions(int workers, size_t queue_capacity);

}  // namespace tw::cli
