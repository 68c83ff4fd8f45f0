#include <spdlog/spdlog.h>

#include <ctime>
#include <iostream>
#include <memory>

#include "pipeline/cli/commands.h"
#include "pipeline/crawl_report.h"
#include "storage/query.h"
#include "storage/stats.h"
#include "storage/store.h"

namespace tw::cli {

namespace {

std::string TableTime(int64_t unix_seconds) {
  const nlohmann::json iso = IsoTime(unix_seconds);
  return iso.is_null() ? "never" : iso.get<std::string>();
}

void PrintCrawlTable(const CrawlReport& report) {
  if (report.sources.empty() && report.urls == 0) return;
  std::cout << FitColumn("crawl", 16) << report.urls << " URLs known, " << report.pending << " pending, " << report.failing.size()
            << " failing\n";
  for (const auto& s : report.sources) {
    std::cout << "  source " << s.name << ": last crawl " << TableTime(s.state.last_attempt)
              << (s.state.last_error.empty() ? "" : " (" + s.state.last_error + ")") << ", next due " << TableTime(s.state.next_due)
              << '\n';
  }
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < report.failing.size() && i < kShown; ++i) {
    const auto& f = report.failing[i];
    std::cout << "  failed " << f.state.failures << "x" << (f.state.pending ? " (retrying)" : "") << ": " << f.state.last_error
              << '\n';
  }
  if (report.failing.size() > kShown) {
    std::cout << "  ... and " << report.failing.size() - kShown << " more (stats --format json lists them all)\n";
  }
}

struct StatsArgs {
  std::string db;
  std::string format;
  size_t top = 10;
};

std::string TextOrDash(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : "-"; }

void PrintTable(const nlohmann::json& s) {
  auto row = [](const std::string& label, const std::string& value) { std::cout << FitColumn(label, 16) << value << '\n'; };
  row("database", s["db"].get<std::string>());
  row("articles", s["articles"].dump());
  row("events", s["events"].dump());
  for (const auto& [type, n] : s["events_by_type"].items()) row("  " + type, n.dump());
  row("sources", s["sources"].dump());
  row("last stored", TextOrDash(s["last_stored"]));
  row("disk", std::to_string(s["disk_bytes"].get<uint64_t>() / 1024) + " KiB");
  if (!s["top_cities"].empty()) {
    std::cout << "top cities (events)\n";
    for (const auto& c : s["top_cities"]) {
      std::cout << "  " << FitColumn(c["name"].get<std::string>() + " (" + c["country"].get<std::string>() + ")", 30)
                << c["events"].dump() << '\n';
    }
  }
}

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
  auto stats = StoreStats(**store, args.top);
  if (!stats.ok()) {
    spdlog::error("{}", stats.status().message());
    return kExitInputsFailed;
  }
  (*stats)["db"] = args.db;
  if (format == "json") {
    std::cout << DumpJson(*stats) << '\n';
  } else {
    PrintTable(*stats);
    auto crawl = ReadCrawlReport(**store);
    if (!crawl.ok()) {
      spdlog::error("{}", crawl.status().message());
      return kExitInputsFailed;
    }
    PrintCrawlTable(*crawl);
  }
  return kExitOk;
}

}  // namespace

Command AddStatsCommand(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* sub = app.add_subcommand("stats", "What the store holds: articles, events by type, sources, top cities; crawl sources and failing URLs");
  AddDbOption(*sub, &args->db);
  sub->add_option("--format", args->format, "table or json (default: table on a terminal, else json)");
  sub->add_option("--top", args->top, "How many top cities to list")->capture_default_str();
  return {sub, [args] { return RunStatsCommand(*args); }};
}

}  // namespace tw::cli
