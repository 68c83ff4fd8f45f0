#include "storage/stats.h"

#include <ctime>
#include <filesystem>

#include "pipeline/crawl_report.h"

namespace tw {

nlohmann::json IsoTime(int64_t unix_seconds) {
  if (unix_seconds <= 0) return nullptr;
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buf);
}

nlohmann::json CrawlReportJson(const CrawlReport& report) {
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

Result<nlohmann::json> StoreStats(const Store& store, size_t top_cities) {
  auto counts = store.Counts();
  if (!counts.ok()) return counts.status();
  auto top = store.TopCities(top_cities);
  if (!top.ok()) return top.status();
  nlohmann::json cities = nlohmann::json::array();
  for (const auto& c : *top) {
    nlohmann::json j = {{"name", c.place.name}, {"country", c.place.country}};
    if (c.place.geonameid != 0) j["geonameid"] = c.place.geonameid;
    j["events"] = c.events;
    cities.push_back(std::move(j));
  }
  auto crawl = ReadCrawlReport(store);
  if (!crawl.ok()) return crawl.status();
  // Everything in the folder: tables, logs not yet flushed into them, manifests.
  uint64_t disk = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(store.dir(), ec)) {
    if (entry.is_regular_file(ec)) disk += entry.file_size(ec);
  }
  return nlohmann::json{{"articles", counts->articles},
                        {"events", counts->events},
                        {"events_by_type", counts->events_by_type},
                        {"sources", counts->sources},
                        {"top_cities", std::move(cities)},
                        {"last_stored", IsoTime(counts->last_stored)},
                        {"crawl", CrawlReportJson(*crawl)},
                        {"disk_bytes", disk}};
}

}  // namespace tw
