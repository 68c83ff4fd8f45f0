// The fallback layer: a city tie read from a sentence's ingredients rather than its exact shape.
// The event rules (events.h) are templates: a construction no rule was written for is not read.
// This layer reads a sentence that the rules read nothing in by what it holds: a tie word ("sister
// city", "twinned", "jumelage"), act words in the tie's clause that give the type ("ended" ->
// termination, "froze" -> suspension, "will sign" -> proposal, "signed", "since 1995" ->
// agreement), and two places as the parties. Everything it knows is data (rules/fallback.toml);
// the event rules' vetoes (calls, negations, hypotheses, failed motions, organisations) apply.
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

class EventRules;

class TieFallback {
 public:
  // Loads rules/fallback.toml. Every problem is reported as "FILE:LINE: message".
  static Result<std::unique_ptr<TieFallback>> Load(const std::string& path);
  ~TieFallback();

  // One tie read from a sentence.
  struct Reading {
    EventType type;
    Place first, second;
    TextSpan match;    // bytes into the sentence: from the first of its words (parties, act) to the last
    TextSpan trigger;  // the act word that gave the type
    // An agreement read from the founding words of a tie the sentence ends or suspends ("formalised
    // in 1985"): it stands only with a date right after `trigger`.
    bool founding = false;
  };

  // The ties of `sentence`, whose city mentions (stand-ins for "It", "the city" included; places
  // that only say where another lies left out) are `cities`, in order, offsets relative to the
  // sentence. `referred` is the place the sentence may speak of without naming it (the city the
  // article is about, else the dateline's): the other party when the sentence names one place.
  // Nothing when the sentence names no tie, no act, or three places or more that are no list
  // ("Kisumu signed a twinning agreement with Changsha, Roanoke and Tokyo" is three; "Kisumu,
  // Changsha and Tokyo" is none). `rules` gives the vetoes and the list reading. Thread-safe.
  // `tie_at`: where the sentence refers to a tie named before ("put it on ice"), whose two places
  // `cities` holds at that span: read as the tie word, with acts of weight only. `section`: the pair
  // a heading above named ("3. Ballarat and Inagawa, Japan"), the parties of a sentence that names
  // no other place ("A gold-rush city and a quiet mountain town have been sister cities since 1988").
  std::vector<Reading> Read(std::string_view sentence, const std::vector<CityMention>& cities,
                            const std::optional<Place>& referred, const EventRules& rules,
                            const std::optional<TextSpan>& tie_at = std::nullopt,
                            const std::optional<std::pair<Place, Place>>& section = std::nullopt) const;

  // "it" for the tie read last, in words the event rules' tie references do not cover
  // (sentence.tie_pronoun: "put it on ice"), as bytes into the sentence.
  std::optional<TextSpan> TiePronoun(std::string_view sentence) const;

  // Whether `text` (a whole article) names a tie anywhere: where it does not, no sentence of it
  // needs reading (one search per article instead of one per sentence).
  bool NamesTie(std::string_view text) const;

  // Council meetings ([meeting] of fallback.toml): a decision reported without a date of its own
  // took place at the meeting the text reports. MeetingDateAfter: the words, in a sentence that
  // names a meeting ("Summary of the regular meeting of Monday, March 9, 2026") or a council acting
  // ("The municipal council approved on Monday"), that the meeting's date stands within
  // meeting_date_within() bytes of. OpensMinutes: whether the sentence says the text is a
  // meeting's minutes or summary. SameMeeting: whether it refers to the meeting named before ("In
  // the same session"). Decision: whether it reports a decision ("Council approved ...", "Carried").
  std::optional<TextSpan> MeetingDateAfter(std::string_view sentence) const;
  size_t meeting_date_within() const;
  bool OpensMinutes(std::string_view sentence) const;
  bool SameMeeting(std::string_view sentence) const;
  bool Decision(std::string_view sentence) const;
  // Motion: whether a sentence moves a motion ("Moved by ...: THAT Council suspend ...");
  // MotionDefeated: whether it says the motion before it failed ("Defeated 3-6.").
  bool Motion(std::string_view sentence) const;
  bool MotionDefeated(std::string_view sentence) const;

  // "He signed ...", "The mayor renewed ..." ([person] pronoun): where a sentence opens with words
  // for the office holder the text named last (the group `ref`, else the whole match).
  std::optional<TextSpan> PersonReference(std::string_view sentence) const;


  // The rule id of a reading: "fallback.<type>", so the layer's share of events can be counted.
  static std::string RuleId(EventType type);
  double confidence() const;
  size_t act_count() const;  // the kinds of act (event types) the file gives words for

 private:
  TieFallback();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw
