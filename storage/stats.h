// What the store holds, for `stats` and `GET /stats`.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "pipeline/status.h"
#include "storage/store.h"

namespace tw {

// {"articles", "events", "events_by_type": {type: n}, "sources", "top_cities": [{"name", "country",
//  "geonameid", "events"}], "last_stored": ISO time or null, "crawl": CrawlReportJson, "disk_bytes"}
Result<nlohmann::json> StoreStats(const Store& store, size_t top_cities = 10);

struct CrawlReport;
// {"sources": [{"name", "last_crawl", "last_success", "next_due", "http_status", "failures",
//  "last_error"}], "urls", "pending", "failing": [{"url", "failures", "last_error", "http_status",
//  "last_attempt", "retrying"}]}
nlohmann::json CrawlReportJson(const CrawlReport& report);

// Unix seconds as ISO 8601 UTC ("2024-07-05T10:00:00Z"); null for 0 (never).
nlohmann::json IsoTime(int64_t unix_seconds);

}  // namespace tw
