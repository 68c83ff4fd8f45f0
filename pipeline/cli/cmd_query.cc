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
  std::string id, city, country, type, since, until, format;
  size_t limit = 0;
  size_t cache_mb = StoreOptions{}.block_cache_bytes >> 20;  // one query reads little: a small cache
};

int RunQueryCommand(const QueryArgs& args) {
  EventFilter filter;
  filter.city = args.city;
  filter.country = args.country;
  filter.since = args.since;
  filter.until = args.until;
  if (!args.id.empty() && !IsEventId(args.id)) {
    spdlog::error("--id '{}' is not an event id: use the 16 hex digits of an event's \"id\"", args.id);
    return kExitUsage;
  }
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
  options.block_cache_bytes = args.cache_mb << 20;
  auto store = Store::Open(args.db, options);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return kExitUsage;
  }
  // table and csv show an event's earliest source and its source count: reading one is enough.
  const size_t max_sources = format == OutputFormat::kTable || format == OutputFormat::kCsv ? 1 : 0;
  Result<std::vector<StoredEvent>> events = std::vector<StoredEvent>();
  if (!args.id.empty()) {
    // One event by id, also an id it had before a report changed its date.
    auto event = (*store)->GetEvent(args.id);
    if (event.ok()) events->push_back(std::move(*event));
    else if (!event.status().IsNotFound()) events = event.status();
  } else {
    events = QueryEvents(**store, filter, args.limit, max_sources);
  }
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
  auto* id = sub->add_option("--id", args->id, "One event by its id (an id it had before a report refined its date finds it too)");
  sub->add_option("--city", args->city, "Either city, by any of its names (case and accents do not matter)");
  sub->add_option("--country", args->country, "Either city's country (ISO 3166-1 alpha-2)");
  sub->add_option("--type", args->type, "agreement, termination, suspension or proposal");
  sub->add_option("--since", args->since, "Events dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)");
  sub->add_option("--until", args->until, "Events dated on or before (YYYY, YYYY-MM or YYYY-MM-DD)");
  sub->add_option("--limit", args->limit, "At most this many events (0: all)");
  for (const char* filter : {"--city", "--country", "--type", "--since", "--until", "--limit"}) id->excludes(sub->get_option(filter));
  sub->add_option("--format", args->format, std::string(kOutputFormats) + " (default: table on a terminal, else jsonl)");
  AddCacheOption(*sub, &args->cache_mb);
  return {sub, [args] { return RunQueryCommand(*args); }};
}

}  // namespace tw::cli
