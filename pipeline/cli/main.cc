// twinwatch: news in, city-diplomacy events out. See README.md and CONTRACT.md.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "pipeline/cli/commands.h"

namespace {

void SetUpLogging(int verbosity, bool quiet) {
  auto logger = spdlog::stderr_color_mt("twinwatch");
  logger->set_pattern("%^%l%$: %v");
  spdlog::level::level_enum level = spdlog::level::info;
  if (quiet) level = spdlog::level::warn;
  if (verbosity == 1) level = spdlog::level::debug;
  if (verbosity >= 2) level = spdlog::level::trace;
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"twinwatch: tracks sister-city ties (agreements, terminations, suspensions, proposals) in the news"};
  app.set_version_flag("--version", std::string("twinwatch ") + TW_VERSION);
  app.require_subcommand(1);
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "More log detail on stderr (-vv for trace)");
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors on stderr");
  app.fallthrough();  // -v and -q also work after the subcommand

  const std::vector<tw::cli::Command> commands = {
      tw::cli::AddIngestCommand(app), tw::cli::AddCleanCommand(app), tw::cli::AddExtractCommand(app), tw::cli::AddRulesCommand(app),
      tw::cli::AddQueryCommand(app), tw::cli::AddStatsCommand(app), tw::cli::AddCrawlCommand(app),
      tw::cli::AddServeCommand(app), tw::cli::AddReextractCommand(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message to stderr
    return tw::cli::kExitUsage;
  }
  SetUpLogging(verbosity, quiet);
  for (const auto& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return tw::cli::kExitUsage;
}
