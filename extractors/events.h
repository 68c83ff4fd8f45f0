// The event layer: trigger rules (RE2, from a TOML rule file) over sentences in which every city
// mention has been replaced by a placeholder, so one rule reads "{A} ... ended ... with {B}";
// veto rules for calls, negations, hypotheses and failed motions; lists of parties; and the
// pronoun that opens a sentence ("It also has ...") as a stand-in for the last city talked about.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/extraction.h"
#include "extractors/text.h"
#include "pipeline/status.h"

namespace tw {

struct EventRule;

class EventRules {
 public:
  // Loads a rule file. Every problem is reported as "FILE:LINE: message"; the first fails the load.
  static Result<std::unique_ptr<EventRules>> Load(const std::string& path);
  ~EventRules();

  // Events in one sentence. `sentence` is the sentence text; `cities` the city mentions inside it
  // (stand-ins for pronouns included), in order, with offsets relative to the sentence start.
  // One event per pair of places: the first rule in the file that fires for the pair. Thread-safe.
  struct Match {
    EventType type;
    size_t first_city, second_city;  // indexes into `cities`
    size_t start, end;               // the matched span, bytes into the sentence
    size_t trigger_start, trigger_end;  // the rule's trigger word (its group T), else the matched span
    const EventRule* rule;
    // For a second party read from a list after the rule's own ({B}): the bytes from the end of {B}
    // to it, where a date belongs to a member before it. Empty otherwise.
    TextSpan others_dates{0, 0};
  };
  // `on_topic`: whether the article speaks of ties at all (OnTopic); rules marked `topic = true`
  // fire only then. Two mentions with the same span stand for a pair ("the two cities"): the
  // sentence reads them as "{A} and {B}". `tie_reference`: the pair stand-in is a tie named before
  // ("terminated the deal", TieReference); then only the rules marked `reference = true` fire,
  // otherwise only the others.
  std::vector<Match> MatchSentence(std::string_view sentence, const std::vector<CityMention>& cities,
                                   bool on_topic = true, bool tie_reference = false) const;

  // Whether `text` speaks of the ties twinwatch tracks ([topic] pattern; true without one).
  bool OnTopic(std::string_view text) const;

  // The pronoun or "the city" that opens `sentence` and stands for the last city the text talked
  // about ([coreference] subject), as bytes into the sentence; nothing when it opens otherwise.
  std::optional<TextSpan> SubjectReference(std::string_view sentence) const;

  // "the city's" inside a sentence ([coreference] possessive): the city the article is about, as
  // bytes into the sentence; nothing when there is none.
  std::optional<TextSpan> PossessiveReference(std::string_view sentence) const;

  // "the two cities", "both capitals" ([coreference] pair): a reference to the two places the
  // text was last about, as bytes into the sentence; nothing when there is none.
  std::optional<TextSpan> PairReference(std::string_view sentence) const;

  // "the deal", "the agreement", "ties" with no party of their own ([coreference] tie), or "it" after
  // a verb that ends, pauses or renews a tie ([coreference] tie_pronoun: "voted to suspend it"): a
  // reference to the tie the text named last, as bytes into the sentence (the first of the two);
  // nothing when there is none.
  std::optional<TextSpan> TieReference(std::string_view sentence) const;

  // "Contacts with Pskov were frozen": where a sentence that opens with a tie implies its first
  // party ([coreference] implied), as an empty span; nothing when it opens otherwise.
  std::optional<TextSpan> ImpliedParty(std::string_view sentence) const;

  // "Mayor Zdeněk Hřib" ([coreference] office): each office title and name in `sentence`, as the
  // span of the whole and of the name, bytes into the sentence.
  struct OfficeHolder {
    TextSpan whole, name;
  };
  std::vector<OfficeHolder> OfficeHolders(std::string_view sentence) const;

  // "the Czech brewing city", "the Japanese port", "the province" ([coreference] described): a place
  // named before, described by its country's adjective or its kind; each as bytes into the
  // sentence, and what kind of place the words say it is: a division (a province, a state: the
  // pattern's group `division` took part), a city (group `city`), or either ("its Chinese partner").
  struct DescribedPlace {
    TextSpan ref;
    enum Kind { kAny, kCity, kDivision } kind = kAny;
  };
  std::vector<DescribedPlace> DescribedPlaces(std::string_view sentence) const;

  // Whether a [[not]] rule vetoes an event of `type` whose words span `span` (bytes into the
  // sentence), as it would veto a rule's match there: for layers that read events without the
  // trigger rules (TieFallback). `cities` as for MatchSentence.
  bool Vetoed(std::string_view sentence, const std::vector<CityMention>& cities, EventType type, const TextSpan& span) const;

  // The places listed after `cities[b]` ("B, C and D"; [lists]), as indexes into `cities`; none when
  // what follows B is no list ending the clause.
  std::vector<size_t> ListAfter(std::string_view sentence, const std::vector<CityMention>& cities, size_t b) const;

  size_t size() const;
  static const std::string& RuleId(const EventRule* rule);
  static double RuleConfidence(const EventRule* rule);
  // How far after its matched span (bytes) an event's date may stand; npos: anywhere in the clause.
  static size_t RuleDateAfter(const EventRule* rule);

 private:
  EventRules();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw
