#include "pipeline/crawl_report.h"

#include <algorithm>

#include "storage/store.h"

namespace tw {

Result<CrawlReport> ReadCrawlReport(const Store& store) {
  CrawlReport report;
  Status st = store.ForEachCrawlState(CrawlScope::kSource, [&](const std::string& name, const CrawlState& s) {
    report.sources.push_back({name, s});
    return true;
  });
  if (!st.ok()) return st;
  st = store.ForEachCrawlState(CrawlScope::kUrl, [&](const std::string& url, const CrawlState& s) {
    ++report.urls;
    report.pending += s.pending;
    if (s.failures > 0) {
      CrawlState brief = s;
      brief.body.clear();
      report.failing.push_back({url, std::move(brief)});
    }
    return true;
  });
  if (!st.ok()) return st;
  std::stable_sort(report.failing.begin(), report.failing.end(),
                   [](const auto& a, const auto& b) { return a.state.last_attempt > b.state.last_attempt; });
  return report;
}

}  // namespace tw
