#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "pipeline/cli/commands.h"
#include "storage/query.h"
#include "storage/store.h"

namespace tw::cli {

namespace {

struct QueryArgs {
  std::string db;
  std::string city, country, type, since, until, format;
  size_t limit = 0;
};

int RunQueryCommand(const QueryArgs& args) {
  EventFilter filter;
  filter.city = args.city;
  filter.country = args.country;
  filter.since = args.since;
  filter.until = args.until;
  filter.limit = args.limit;
  if (!args.type.empty()) {
    EventType type;
    if (!ParseEventType(args.type, &type)) {
      spdlog::error("--type '{}' is not an event type: use agreement, termination, suspension or proposal", args.type);
      return kExitUsage;
    }
    filter.type = type;
  }
  for (const auto& [flag, value] : {std::pair{"--since", &args.since}, {"--until", &args.until}}) {
    Status st = ValidateDateBound(flag, *value);
    if (!st.ok()) {
      spdlog::error("{}", st.message());
      return kExitUsage;
    }
  }
  if (!args.country.empty() && (args.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(args.country[0])) ||
                                !std::isalpha(static_cast<unsigned char>(args.country[1])))) {
    spdlog::error("--country '{}' is not a country code: use ISO 3166-1 alpha-2, e.g. CZ, CN, US", args.country);
    return kExitUsage;
  }
  OutputFormat format = StdoutIsTerminal() ? OutputFormat::kTable : OutputFormat::kJsonl;
  if (!args.format.empty() && !ParseOutputFormat(args.format, &format)) {
    spdlog::error("--format '{}' is not supported: use table, jsonl or json", args.format);
    return kExitUsage;
  }
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(args.db, options);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return kExitUsage;
  }
  auto events = QueryEvents(**store, filter);
  if (!events.ok()) {
    spdlog::error("{}", events.status().message());
    return kExitInputsFailed;
  }
  WriteEvents(std::cout, *events, format);
  return kExitOk;
}

}  // namespace

Command AddQueryCommand(CLI::App& app) {
  auto args = std::make_shared<QueryArgs>();
  CLI::App* sub = app.add_subcommand("query", "Print stored events, filtered");
  AddDbOption(*sub, &args->db);
  sub->add_option("--city", args->city, "Either city, by any of its names (case and accents do not matter)");
  sub->add_option("--country", args->country, "Either city's country (ISO 3166-1 alpha-2)");
  sub->add_option("--type", args->type, "agreement, termination, suspension or proposal");
  sub->add_option("--since", args->since, "Events dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)");
  sub->add_option("--until", args->until, "Events dated on or before (YYYY, YYYY-MM or YYYY-MM-DD)");
  sub->add_option("--limit", args->limit, "At most this many events (0: all)");
  sub->add_option("--format", args->format, "table, jsonl or json (default: table on a terminal, else jsonl)");
  return {sub, [args] { return RunQueryCommand(*args); }};
}

}  // namespace tw::cli
