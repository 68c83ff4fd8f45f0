#include "pipeline/sources.h"

#include <re2/re2.h>
#include <toml++/toml.h>

#include <cctype>
#include <filesystem>
#include <set>

#include "pipeline/reader.h"
#include "pipeline/url.h"

namespace tw {

namespace {

std::string Where(const std::string& path, const toml::source_region& src) {
  return path + ":" + std::to_string(src.begin.line);
}

// Reads one [crawler] or [[source]] table, checking each key's type and refusing unknown keys
// (a misspelt key silently ignored would crawl something other than what the user asked for).
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, std::string what, std::set<std::string> known)
      : table_(table), path_(std::move(path)), what_(std::move(what)), known_(std::move(known)) {}

  Status CheckKeys() const {
    for (const auto& [key, value] : table_) {
      const std::string name(key.str());
      if (!known_.count(name)) {
        std::string expected;
        for (const auto& k : known_) expected += (expected.empty() ? "" : ", ") + k;
        return Status::InvalidArgument(Where(path_, value.source()) + ": " + what_ + ": unknown key '" + name +
                                       "' (expected one of: " + expected + ")");
      }
    }
    return Status::OK();
  }

  bool Has(const char* key) const { return table_.contains(key); }
  std::string WhereIs(const char* key) const {
    const toml::node* node = table_.get(key);
    return Where(path_, node ? node->source() : table_.source());
  }

  Status String(const char* key, std::string* out) const {
    const toml::node* node = table_.get(key);
    if (!node) return Status::OK();
    if (!node->is_string()) return Error(key, "must be a string");
    *out = node->as_string()->get();
    return Status::OK();
  }

  Status Int(const char* key, int64_t lo, int64_t hi, int64_t* out) const {
    const toml::node* node = table_.get(key);
    if (!node) return Status::OK();
    if (!node->is_integer()) return Error(key, "must be an integer");
    const int64_t v = node->as_integer()->get();
    if (v < lo || v > hi) return Error(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    *out = v;
    return Status::OK();
  }

  Status Bool(const char* key, bool* out) const {
    const toml::node* node = table_.get(key);
    if (!node) return Status::OK();
    if (!node->is_boolean()) return Error(key, "must be true or false");
    *out = node->as_boolean()->get();
    return Status::OK();
  }

  // A duration string ("30m") or a number of seconds.
  Status Duration(const char* key, double* out) const {
    const toml::node* node = table_.get(key);
    if (!node) return Status::OK();
    if (node->is_integer() || node->is_floating_point()) {
      *out = node->value<double>().value_or(0);
    } else if (node->is_string()) {
      auto seconds = ParseDuration(node->as_string()->get());
      if (!seconds.ok()) return Error(key, seconds.status().message());
      *out = *seconds;
    } else {
      return Error(key, "must be a duration such as \"30s\", \"15m\" or \"1h\"");
    }
    if (*out < 0) return Error(key, "must not be negative");
    return Status::OK();
  }

  Status StringList(const char* key, std::vector<std::string>* out) const {
    const toml::node* node = table_.get(key);
    if (!node) return Status::OK();
    const toml::array* list = node->as_array();
    if (!list) return Error(key, "must be a list of strings");
    for (const auto& item : *list) {
      if (!item.is_string()) return Error(key, "must be a list of strings");
      out->push_back(item.as_string()->get());
    }
    return Status::OK();
  }

  Status Error(const char* key, const std::string& message) const {
    return Status::InvalidArgument(WhereIs(key) + ": " + what_ + "." + key + " " + message);
  }

 private:
  const toml::table& table_;
  std::string path_;
  std::string what_;
  std::set<std::string> known_;
};

Status ReadCrawler(const toml::table& table, const std::string& path, CrawlerSettings* c) {
  TableReader r(table, path, "crawler",
                {"user_agent", "concurrency", "per_host_delay", "allow_private", "connect_timeout", "timeout",
                 "max_body_mb", "max_attempts", "retry_backoff", "max_retry_wait", "resolve", "ca_file"});
  Status st = r.CheckKeys();
  int64_t concurrency = c->concurrency, max_attempts = c->max_attempts, max_body_mb = static_cast<int64_t>(c->max_body_bytes >> 20);
  if (st.ok()) st = r.String("user_agent", &c->user_agent);
  if (st.ok()) st = r.Int("concurrency", 1, 1024, &concurrency);
  if (st.ok()) st = r.Duration("per_host_delay", &c->per_host_delay_seconds);
  if (st.ok()) st = r.Bool("allow_private", &c->allow_private);
  if (st.ok()) st = r.Duration("connect_timeout", &c->connect_timeout_seconds);
  if (st.ok()) st = r.Duration("timeout", &c->timeout_seconds);
  if (st.ok()) st = r.Int("max_body_mb", 1, 1024, &max_body_mb);
  if (st.ok()) st = r.Int("max_attempts", 1, 100, &max_attempts);
  if (st.ok()) st = r.Duration("retry_backoff", &c->retry_backoff_seconds);
  if (st.ok()) st = r.Duration("max_retry_wait", &c->max_retry_wait_seconds);
  if (st.ok()) st = r.StringList("resolve", &c->resolve);
  if (st.ok()) st = r.String("ca_file", &c->ca_file);
  if (!st.ok()) return st;
  if (c->user_agent.empty()) return r.Error("user_agent", "must not be empty");
  if (c->timeout_seconds <= 0) return r.Error("timeout", "must be more than zero");
  if (c->connect_timeout_seconds <= 0) return r.Error("connect_timeout", "must be more than zero");
  if (!c->ca_file.empty() && !std::filesystem::path(c->ca_file).is_absolute()) {
    // Like a relative feed path: relative to the sources file, not to wherever the crawl was started.
    c->ca_file = (std::filesystem::path(path).parent_path() / c->ca_file).lexically_normal().string();
  }
  c->concurrency = static_cast<int>(concurrency);
  c->max_attempts = static_cast<int>(max_attempts);
  c->max_body_bytes = static_cast<size_t>(max_body_mb) << 20;
  return Status::OK();
}

Status ReadSource(const toml::table& table, const std::string& path, const std::string& base_url, SourceConfig* s) {
  TableReader r(table, path, "source", {"name", "feed", "sitemap", "page", "links", "every"});
  Status st = r.CheckKeys();
  std::string feed, sitemap, page;
  if (st.ok()) st = r.String("name", &s->name);
  if (st.ok()) st = r.String("feed", &feed);
  if (st.ok()) st = r.String("sitemap", &sitemap);
  if (st.ok()) st = r.String("page", &page);
  if (st.ok()) st = r.String("links", &s->links);
  if (st.ok()) st = r.Duration("every", &s->every_seconds);
  if (!st.ok()) return st;
  const std::string where = Where(path, table.source());
  if (s->name.empty()) return Status::InvalidArgument(where + ": source without a name (name = \"...\")");
  const int given = !feed.empty() + !sitemap.empty() + !page.empty();
  if (given != 1) {
    return Status::InvalidArgument(where + ": source '" + s->name + "' needs exactly one of feed, sitemap or page");
  }
  const char* key = !feed.empty() ? "feed" : !sitemap.empty() ? "sitemap" : "page";
  const std::string& written = !feed.empty() ? feed : !sitemap.empty() ? sitemap : page;
  s->kind = !feed.empty() ? SourceKind::kFeed : !sitemap.empty() ? SourceKind::kSitemap : SourceKind::kPage;
  auto url = CanonicalLink(base_url, written);
  if (!url) {
    return Status::InvalidArgument(r.WhereIs(key) + ": source '" + s->name + "': '" + written +
                                   "' is not an http, https or file URL (nor a path relative to the sources file)");
  }
  s->url = *url;
  if (s->kind == SourceKind::kPage) {
    if (s->links.empty()) {
      return Status::InvalidArgument(where + ": source '" + s->name + "' is a listing page: give the pattern article links match (links = \"...\")");
    }
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<RE2>(s->links, options);
    if (!re->ok()) return Status::InvalidArgument(r.WhereIs("links") + ": source '" + s->name + "': bad links pattern: " + re->error());
    s->links_re = std::move(re);
  } else if (!s->links.empty()) {
    return Status::InvalidArgument(r.WhereIs("links") + ": source '" + s->name + "': links applies to page sources only");
  }
  if (s->every_seconds <= 0) return r.Error("every", "must be more than zero");
  return Status::OK();
}

}  // namespace

const char* SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kFeed: return "feed";
    case SourceKind::kSitemap: return "sitemap";
    case SourceKind::kPage: return "page";
  }
  return "?";
}

Result<double> ParseDuration(std::string_view text) {
  const std::string original(text);
  auto bad = [&] {
    return Status::InvalidArgument("'" + original + "' is not a duration: use a number and a unit (ms, s, m, h, d), e.g. \"90s\", \"1h30m\"");
  };
  double total = 0;
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i == text.size()) return bad();
  while (i < text.size()) {
    const size_t number_start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == number_start) return bad();
    double value = 0;
    try {
      value = std::stod(std::string(text.substr(number_start, i - number_start)));
    } catch (const std::exception&) {
      return bad();
    }
    const size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    if (unit == "ms") total += value / 1000;
    else if (unit == "s") total += value;
    else if (unit == "m") total += value * 60;
    else if (unit == "h") total += value * 3600;
    else if (unit == "d") total += value * 86400;
    else return bad();
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  }
  return total;
}

Result<SourcesFile> LoadSourcesFile(const std::string& path) {
  toml::table root;
  try {
    // toml++ reports syntax errors as exceptions; they stop here and become a Status.
    root = toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    if (err.source().begin.line == 0) return Status::IOError(path + ": cannot read sources file: " + std::string(err.description()));
    return Status::InvalidArgument(Where(path, err.source()) + ": " + std::string(err.description()));
  }
  SourcesFile file;
  file.path = path;
  std::error_code ec;
  const std::string base_url = FileUrl(std::filesystem::absolute(path, ec).lexically_normal().string());

  for (const auto& [key, value] : root) {
    if (key.str() != "crawler" && key.str() != "source") {
      return Status::InvalidArgument(Where(path, value.source()) + ": unknown table or key '" + std::string(key.str()) +
                                     "' (expected [crawler] and [[source]])");
    }
  }
  if (const toml::node* crawler = root.get("crawler")) {
    if (!crawler->is_table()) return Status::InvalidArgument(Where(path, crawler->source()) + ": crawler must be a table ([crawler])");
    Status st = ReadCrawler(*crawler->as_table(), path, &file.crawler);
    if (!st.ok()) return st;
  }
  const toml::array* list = root["source"].as_array();
  if (list == nullptr || list->empty()) return Status::InvalidArgument(path + ": no [[source]] entries: nothing to crawl");
  std::set<std::string> names;
  for (const auto& node : *list) {
    const toml::table* table = node.as_table();
    if (!table) return Status::InvalidArgument(Where(path, node.source()) + ": each source must be a table ([[source]])");
    SourceConfig source;
    Status st = ReadSource(*table, path, base_url, &source);
    if (!st.ok()) return st;
    if (!names.insert(source.name).second) {
      return Status::InvalidArgument(Where(path, table->source()) + ": two sources are named '" + source.name + "'");
    }
    file.sources.push_back(std::move(source));
  }
  return file;
}

}  // namespace tw
