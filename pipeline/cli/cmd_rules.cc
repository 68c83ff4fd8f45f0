// `twinwatch rules check [--rules DIR]`: loads every rule file and reports each one's errors.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "extractors/dates.h"
#include "extractors/events.h"
#include "extractors/fallback.h"
#include "extractors/gazetteer.h"
#include "extractors/text.h"
#include "pipeline/cli/commands.h"

namespace tw::cli {

namespace {

int RunRulesCheck(const std::string& dir) {
  int errors = 0;
  // Each file is loaded on its own, so one broken file does not hide the others' problems.
  auto report = [&](const char* what, const Status& status, const std::string& summary) {
    if (status.ok()) {
      std::cout << "ok  " << what << ": " << summary << '\n';
    } else {
      ++errors;
      std::cerr << status.message() << '\n';
      std::cout << "BAD " << what << '\n';
    }
  };
  auto text = SentenceSplitter::Load(dir + "/text.toml");
  report("text.toml", text.status(), "abbreviations");
  auto dates = DateFinder::Load(dir + "/dates.toml");
  report("dates.toml", dates.status(), dates.ok() ? std::to_string(dates.value()->size()) + " date rules" : "");
  auto events = EventRules::Load(dir + "/events.toml");
  report("events.toml", events.status(), events.ok() ? std::to_string(events.value()->size()) + " event rules" : "");
  if (std::filesystem::exists(dir + "/fallback.toml")) {  // optional: without it, no fallback layer
    auto fallback = TieFallback::Load(dir + "/fallback.toml");
    report("fallback.toml", fallback.status(), fallback.ok() ? std::to_string(fallback.value()->act_count()) + " kinds of act" : "");
  }
  auto gazetteer = Gazetteer::Load(dir + "/gazetteer");
  report("gazetteer/", gazetteer.status(),
         gazetteer.ok() ? std::to_string(gazetteer.value()->place_count()) + " places, " + std::to_string(gazetteer.value()->name_count()) + " names" : "");
  return errors == 0 ? kExitOk : kExitUsage;
}

}  // namespace

Command AddRulesCommand(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("rules", "Work with the rule files (rules/)");
  sub->require_subcommand(1);
  CLI::App* check = sub->add_subcommand("check", "Load every rule file; report each error as FILE:LINE: message (exit 2 if any)");
  AddRulesOption(*check, dir.get());
  return {sub, [dir] { return RunRulesCheck(*dir); }};
}

}  // namespace tw::cli
