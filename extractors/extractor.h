// The extraction stage: an Article to its city mentions, date mentions and city-pair events, by the
// layers text -> gazetteer -> dates -> events, all driven by the files in a rules directory.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "extractors/extraction.h"
#include "pipeline/status.h"
#include "pipeline/types.h"

namespace tw {

struct ExtractorOptions {
  std::string rules_dir = TW_DEFAULT_RULES_DIR;
  // Publication date to anchor relative dates when the article gives none ("YYYY-MM-DD").
  std::string default_published;
};

class Gazetteer;
class DateFinder;
class EventRules;
class SentenceSplitter;
class TieFallback;

class Extractor {
 public:
  // Loads the gazetteer and rules once; errors name the file (and line) at fault.
  static Result<std::unique_ptr<Extractor>> Open(const ExtractorOptions& options);
  ~Extractor();

  // Thread-safe: one Extractor serves every worker.
  Extraction Process(Article article) const;

  // Every name the gazetteer knows for `place` (GeoNames, ASCII and alternate names): the store
  // indexes them so `query --city` finds the place by any of them. Thread-safe.
  std::vector<std::string> PlaceNames(const Place& place) const;

 private:
  Extractor() = default;
  ExtractorOptions options_;
  std::unique_ptr<SentenceSplitter> sentences_;
  std::unique_ptr<Gazetteer> gazetteer_;
  std::unique_ptr<DateFinder> dates_;
  std::unique_ptr<EventRules> events_;
  std::unique_ptr<TieFallback> fallback_;  // null when the rules directory has no fallback.toml
};

}  // namespace tw
