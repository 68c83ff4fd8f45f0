#include "storage/merge.h"

#include <algorithm>

namespace tw {

bool DateRefines(const std::string& coarse, const std::string& fine) {
  if (coarse.size() >= fine.size()) return false;
  if (coarse.empty()) return true;
  return fine.compare(0, coarse.size(), coarse) == 0 && fine[coarse.size()] == '-';
}

std::map<std::string, std::string> PartitionDates(const std::set<std::string>& dates) {
  // The most precise dates: those no other date refines. Each is an event.
  std::vector<const std::string*> finest;
  for (const auto& d : dates) {
    const bool refined = std::any_of(dates.begin(), dates.end(), [&](const std::string& o) { return DateRefines(d, o); });
    if (!refined) finest.push_back(&d);
  }
  // Every date goes to the one finest date it is compatible with, or stays apart if there are several.
  std::map<std::string, std::string> event_date_of;
  for (const auto& d : dates) {
    const std::string* only = nullptr;
    int candidates = 0;
    for (const std::string* f : finest) {
      if (*f == d || DateRefines(d, *f)) {
        only = f;
        ++candidates;
      }
    }
    event_date_of.emplace(d, candidates == 1 ? *only : d);
  }
  return event_date_of;
}

std::map<std::string, std::vector<std::string>> EventsOfPartition(const std::map<std::string, std::string>& partition) {
  std::map<std::string, std::vector<std::string>> events;
  for (const auto& [date, event_date] : partition) events[event_date].push_back(date);
  for (auto& [event_date, dates] : events) {
    std::sort(dates.begin(), dates.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }
  return events;
}

std::vector<MergedEvent> MergeReports(std::vector<EventSource> reports) {
  std::set<std::string> dates;
  for (const auto& r : reports) dates.insert(r.date);
  const auto event_date_of = PartitionDates(dates);

  // Most precise first, then earliest in the text: the report an article keeps for an event.
  std::sort(reports.begin(), reports.end(), [](const EventSource& a, const EventSource& b) {
    if (a.article_id != b.article_id) return a.article_id < b.article_id;
    if (a.date.size() != b.date.size()) return a.date.size() > b.date.size();
    if (a.start != b.start) return a.start < b.start;
    return a.evidence < b.evidence;
  });
  std::map<std::string, MergedEvent> events;
  for (auto& r : reports) {
    MergedEvent& event = events[event_date_of.at(r.date)];
    if (!event.sources.empty() && event.sources.back().article_id == r.article_id) continue;
    event.sources.push_back(std::move(r));
  }
  std::vector<MergedEvent> out;
  for (auto& [date, event] : events) {
    event.date = date;
    out.push_back(std::move(event));
  }
  return out;
}

}  // namespace tw
