#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "pipeline/cleaner.h"
#include "pipeline/cli/commands.h"
#include "pipeline/cli/documents.h"

namespace tw::cli {

namespace {

struct CleanArgs {
  std::vector<std::string> paths;
};

nlohmann::json NullIfEmpty(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

int RunCleanCommand(const CleanArgs& args) {
  Cleaner cleaner;
  bool any_failed = ForEachDocument(args.paths, [&](const RawDoc& doc) -> Status {
    auto article = cleaner.Process(doc);
    if (!article.ok()) return article.status();
    const Article& a = *article;
    nlohmann::json sources = nlohmann::json::object();
    for (const auto& [key, value] : {std::pair{"title", &a.title}, {"published", &a.published},
                                     {"language", &a.language}, {"canonical_url", &a.canonical_url},
                                     {"author", &a.author}}) {
      if (!value->empty()) sources[key] = value->source;
    }
    if (!a.charset_source.empty()) sources["charset"] = a.charset_source;
    if (!a.text_source.empty()) sources["text"] = a.text_source;
    nlohmann::json j = {{"path", doc.origin},
                        {"url", a.canonical_url.empty() ? a.url : a.canonical_url.value},
                        {"title", NullIfEmpty(a.title.value)},
                        {"published", NullIfEmpty(a.published.value)},
                        {"language", NullIfEmpty(a.language.value)},
                        {"text", a.text},
                        {"source_url", a.url},
                        {"author", NullIfEmpty(a.author.value)},
                        {"charset", a.charset},
                        {"found_in", sources}};
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return Status::OK();
  });
  return any_failed ? kExitInputsFailed : kExitOk;
}

}  // namespace

Command AddCleanCommand(CLI::App& app) {
  auto args = std::make_shared<CleanArgs>();
  CLI::App* sub = app.add_subcommand("clean", "Print each document's main text and metadata as one JSON line (no store)");
  sub->add_option("paths", args->paths, "Files or folders (as for ingest)")->required();
  return {sub, [args] { return RunCleanCommand(*args); }};
}

}  // namespace tw::cli
