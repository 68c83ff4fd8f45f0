// `reextract`: runs extraction again over every stored article (after the rules or the gazetteer
// changed) and replaces each article's contributions in one WriteBatch: events that lose their last
// source disappear, the others lose only that source, new findings merge as on ingest. Unchanged
// rules change nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "extractors/extractor.h"
#include "storage/store.h"

namespace tw {

struct ReextractTotals {
  uint64_t articles = 0;   // articles extracted again
  uint64_t changed = 0;    // articles whose events changed
  uint64_t failed = 0;     // articles that could not be re-stored (each logged)
  uint64_t events_new = 0, events_merged = 0, events_removed = 0;
  double seconds = 0;
};

// `workers` extractor threads; the store is written by one. Stops early (what was done stays
// done) when `stop` becomes true.
ReextractTotals Reextract(Store& store, const Extractor& extractor, int workers, const std::atomic<bool>* stop);

// "reextract: 120 articles, 3 changed, 0 failed; events 2 new, 1 merged, 4 removed; 1.2 s"
std::string ReextractSummary(const ReextractTotals& totals);

}  // namespace tw
