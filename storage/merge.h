// Merging: which reports of one event type between one city pair are the same event.
//
// Two reports are the same event when their dates are compatible: equal, or one a prefix of the
// other at a date boundary ("2019" and "2019-10", or an undated report and a dated one). An event
// takes the most precise date its reports give. A report compatible with several events that
// conflict with each other ("2019" beside "2019-10" and "2020-01"... or beside "2019-10" and
// "2019-11") cannot say which it belongs to, so it stays an event of its own at its own date.
//
// The result depends only on the set of reports, never on the order they arrived in, so the same
// articles give the same events (and ids) in every run.
#pragma once

#include <string>
#include <vector>

#include "storage/event.h"

namespace tw {

// True when `coarse` is a proper prefix of `fine` at a date boundary: "" of any date, "2019" of
// "2019-10" and "2019-10-07", "2019-10" of "2019-10-07" (but "2019-1" of nothing).
bool DateRefines(const std::string& coarse, const std::string& fine);

struct MergedEvent {
  std::string date;                  // the most precise date of its sources
  std::vector<EventSource> sources;  // at most one per article, sorted by article id then offset
};

// Splits the reports of one (type, unordered city pair) into events, sorted by date. An article
// reporting the event several times counts once: its most precise report, then its earliest.
std::vector<MergedEvent> MergeReports(std::vector<EventSource> reports);

}  // namespace tw
