// Merging: which reports of one event type between one city pair are the same event.
//
// Two reports are the same event when their dates are compatible: equal, or one a prefix of the
// other at a date boundary ("2019" and "2019-10", or an undated report and a dated one). An event
// takes the most precise date its reports give. A report compatible with several events that
// conflict with each other ("2019" beside "2019-10" and "2020-01"... or beside "2019-10" and
// "2019-11") cannot say which it belongs to, so it stays an event of its own at its own date.
//
// Which event a report belongs to depends only on the set of report dates of its (type, pair),
// never on the order the reports arrived in, so the same articles give the same events (and ids)
// in every run. The store keeps that set with a count per date, so a new report of a popular event
// costs the same as the first (storage/store_put.cc).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/event.h"

namespace tw {

// True when `coarse` is a proper prefix of `fine` at a date boundary: "" of any date, "2019" of
// "2019-10" and "2019-10-07", "2019-10" of "2019-10-07" (but "2019-1" of nothing).
bool DateRefines(const std::string& coarse, const std::string& fine);

// The date of the event each report date belongs to, for the set of report dates of one (type,
// unordered city pair): the one most precise date it is compatible with, or itself when there are
// several (or none but itself).
std::map<std::string, std::string> PartitionDates(const std::set<std::string>& dates);

// The report dates of each event: event date -> its report dates (the event date first, then the
// coarser ones, most precise first).
std::map<std::string, std::vector<std::string>> EventsOfPartition(const std::map<std::string, std::string>& partition);

struct MergedEvent {
  std::string date;                  // the most precise date of its sources
  std::vector<EventSource> sources;  // at most one per article, sorted by article id then offset
};

// Splits the reports of one (type, unordered city pair) into events, sorted by date. An article
// reporting the event several times counts once: its most precise report, then its earliest.
// (The reference the store's incremental merge is tested against.)
std::vector<MergedEvent> MergeReports(std::vector<EventSource> reports);

}  // namespace tw
