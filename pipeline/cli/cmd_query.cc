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
  for (const Status& st : {ParseTypeFilter("--type", args.type, &filter.type), ValidateDateBound("--since", args.since),
                           ValidateDateBound("--until", args.until), ValidateCountry("--country", args.country)}) {
    if (!st.ok()) {
      spdlog::error("{}", st.message());
      return kExitUsage;
    }
  }
  OutputFormat format = StdoutIsTerminal() ? OutputFormat::kTable : OutputFormat::kJsonl;
  if (!args.format.empty() && !ParseOutputFormat(args.format, &format)) {
    spdlog::error("--format '{}' is not supported: use {}", args.format, kOutputFormats);
    return kExitUsage;
  }
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(args.db, options);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return kExitUsage;
  }
  auto events = QueryEvents(**store, filter, args.limit);
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
  sub->add_option("--format", args->format, std::string(kOutputFormats) + " (default: table on a terminal, else jsonl)");
  return {sub, [args] { return RunQueryCommand(*args); }};
}

}  // namespace tw::cli
