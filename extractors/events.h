// The event layer: trigger rules (RE2, from a TOML rule file) over sentences in which every city
// mention has been replaced by a placeholder, so one rule reads "{A} ... ended ... with {B}".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/extraction.h"
#include "pipeline/status.h"

namespace tw {

struct EventRule;

class EventRules {
 public:
  // Loads a rule file. Every problem is reported as "FILE:LINE: message"; the first fails the load.
  static Result<std::unique_ptr<EventRules>> Load(const std::string& path);
  ~EventRules();

  // Events in one sentence. `sentence` is the sentence text; `cities` the city mentions inside it,
  // with offsets relative to the sentence start. Thread-safe.
  struct Match {
    EventType type;
    size_t first_city, second_city;  // indexes into `cities`
    size_t start, end;               // the matched span, bytes into the sentence
    const EventRule* rule;
  };
  std::vector<Match> MatchSentence(std::string_view sentence, const std::vector<CityMention>& cities) const;

  size_t size() const { return rules_.size(); }
  static const std::string& RuleId(const EventRule* rule);
  static double RuleConfidence(const EventRule* rule);

 private:
  EventRules() = default;
  std::vector<std::unique_ptr<EventRule>> rules_;
};

}  // namespace tw
