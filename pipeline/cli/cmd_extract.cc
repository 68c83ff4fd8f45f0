#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/cli/commands.h"
#include "pipeline/cli/documents.h"
#include "storage/event.h"

namespace tw::cli {

namespace {

struct ExtractArgs {
  std::vector<std::string> paths;
  std::string rules;
  std::string published;
  bool mentions = false;
};

void PrintLine(const nlohmann::json& j) {
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void PrintMentions(const Extraction& x) {
  // Cities and dates interleaved in text order.
  size_t ci = 0, di = 0;
  while (ci < x.cities.size() || di < x.dates.size()) {
    bool city_next = di >= x.dates.size() || (ci < x.cities.size() && x.cities[ci].start <= x.dates[di].start);
    if (city_next) {
      const CityMention& c = x.cities[ci++];
      nlohmann::json j = {{"kind", "city"}, {"text", c.text}, {"start", c.start}, {"end", c.end},
                          {"name", c.place.name}, {"country", c.place.country}};
      if (c.place.geonameid != 0) j["geonameid"] = c.place.geonameid;
      if (c.place.from_text) j["from_text"] = true;
      PrintLine(j);
    } else {
      const DateMention& d = x.dates[di++];
      nlohmann::json j = {{"kind", "date"}, {"text", d.text}, {"start", d.start}, {"end", d.end}, {"value", d.value}};
      if (!d.end_value.empty()) j["end_value"] = d.end_value;
      PrintLine(j);
    }
  }
}

int RunExtractCommand(const ExtractArgs& args) {
  ExtractorOptions options;
  options.rules_dir = args.rules;
  options.default_published = args.published;
  auto extractor = Extractor::Open(options);
  if (!extractor.ok()) {
    spdlog::error("{}", extractor.status().message());
    return kExitUsage;
  }
  Cleaner cleaner;
  bool any_failed = ForEachDocument(args.paths, [&](const RawDoc& doc) -> Status {
    auto article = cleaner.Process(doc);
    if (!article.ok()) return article.status();
    Extraction x = (*extractor)->Process(std::move(article.value()));
    if (args.mentions) {
      PrintMentions(x);
    } else {
      for (const auto& m : x.events) PrintLine(EventToJson(EventFromMention(m, x.article)));
    }
    spdlog::debug("{}: {} cities, {} dates, {} events", doc.origin, x.cities.size(), x.dates.size(), x.events.size());
    return Status::OK();
  });
  return any_failed ? kExitInputsFailed : kExitOk;
}

}  // namespace

Command AddExtractCommand(CLI::App& app) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* sub = app.add_subcommand("extract", "Print the events (or mentions) found in documents, one JSON line each (no store)");
  sub->add_option("paths", args->paths, "Files or folders (as for ingest); '-' reads one article from stdin")->required();
  AddRulesOption(*sub, &args->rules);
  sub->add_option("--published", args->published, "Publication date when the document gives none (anchors \"June 27\", \"last year\")")
      ->check(IsoDay());
  sub->add_flag("--mentions", args->mentions, "Print the city and date mentions instead of events");
  return {sub, [args] { return RunExtractCommand(*args); }};
}

}  // namespace tw::cli
