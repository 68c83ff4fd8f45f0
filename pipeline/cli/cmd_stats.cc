#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <ctime>
#include <iostream>
#include <memory>

#include "pipeline/cli/commands.h"
#include "pipeline/crawl_report.h"
#include "storage/store.h"

namespace tw::cli {

namespace {

// Unix seconds as "2024-07-05T10:00:00Z"; null for 0 (never).
nlohmann::json IsoTime(int64_t unix_seconds) {
  if (unix_seconds <= 0) return nullptr;
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string TableTime(int64_t unix_seconds) {
  const nlohmann::json iso = IsoTime(unix_seconds);
  return iso.is_null() ? "never" : iso.get<std::string>();
}

nlohmann::json CrawlJson(const CrawlReport& report) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : report.sources) {
    sources.push_back({{"name", s.name},
                       {"last_crawl", IsoTime(s.state.last_attempt)},
                       {"last_success", IsoTime(s.state.last_success)},
                       {"next_due", IsoTime(s.state.next_due)},
                       {"http_status", s.state.http_status},
                       {"failures", s.state.failures},
                       {"last_error", s.state.last_error}});
  }
  nlohmann::json failing = nlohmann::json::array();
  for (const auto& f : report.failing) {
    failing.push_back({{"url", f.url},
                       {"failures", f.state.failures},
                       {"last_error", f.state.last_error},
                       {"http_status", f.state.http_status},
                       {"last_attempt", IsoTime(f.state.last_attempt)},
                       {"retrying", f.state.pending}});
  }
  return {{"sources", sources}, {"urls", report.urls}, {"pending", report.pending}, {"failing", failing}};
}

void PrintCrawlTable(const CrawlReport& report) {
  if (report.sources.empty() && report.urls == 0) return;
  std::cout << "crawl        " << report.urls << " URLs known, " << report.pending << " pending, " << report.failing.size()
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
  auto crawl = ReadCrawlReport(**store);
  if (!crawl.ok()) {
    spdlog::error("{}", crawl.status().message());
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
                        {"sources", counts->sources},
                        {"crawl", CrawlJson(*crawl)}};
    std::cout << j.dump() << '\n';
  } else {
    std::cout << "database     " << args.db << '\n'
              << "articles     " << counts->articles << '\n'
              << "events       " << counts->events << '\n';
    for (const auto& [type, n] : by_type.items()) std::cout << "  " << type << std::string(type.size() < 11 ? 11 - type.size() : 1, ' ') << n << '\n';
    std::cout << "sources      " << counts->sources << '\n';
    PrintCrawlTable(*crawl);
  }
  return kExitOk;
}

}  // namespace

Command AddStatsCommand(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* sub = app.add_subcommand("stats", "Counts of stored articles, events by type and sources; crawl sources and failing URLs");
  AddDbOption(*sub, &args->db);
  sub->add_option("--format", args->format, "table or json (default: table on a terminal, else json)");
  return {sub, [args] { return RunStatsCommand(*args); }};
}

}  // namespace tw::cli
