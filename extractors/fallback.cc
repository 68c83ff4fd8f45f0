#include "extractors/fallback.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "extractors/events.h"
#include "extractors/rule_file.h"

namespace tw {

namespace {

struct Act {
  EventType type;
  std::unique_ptr<RE2> re;
  bool weak = false;  // counts only with a tie word, not with a tie noun ("was", "has")
};

// The key a place is told apart by: the same place named twice is one party.
std::string PlaceKey(const Place& p) { return p.geonameid != 0 ? std::to_string(p.geonameid) : p.country + ":" + p.name; }

// Whether one of the two is the first-level division the other lies in: a city and its own
// province are no pair.
bool OneHoldsOther(const Place& a, const Place& b) {
  auto holds = [](const Place& outer, const Place& inner) {
    return outer.feature == "ADM1" && inner.feature != "ADM1" && !outer.admin1.empty() && outer.country == inner.country &&
           outer.admin1 == inner.admin1;
  };
  return holds(a, b) || holds(b, a);
}

re2::StringPiece Piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

// Every match of `re` in `text`, as spans.
std::vector<TextSpan> AllSpans(const RE2& re, std::string_view text) {
  std::vector<TextSpan> out;
  re2::StringPiece input = Piece(text), m;
  size_t pos = 0;
  while (pos < text.size() && re.Match(input, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
    const size_t b = m.data() - text.data(), e = b + m.size();
    out.push_back({b, e});
    pos = e > b ? e : b + 1;
  }
  return out;
}

}  // namespace

struct TieFallback::Impl {
  std::unique_ptr<RE2> tie, clause_break, location_before, members_before, list_opening, one_place_before, other_subject, founding, guard, condition,
      reference_tie, not_partner_after;
  std::unique_ptr<RE2> meeting_opening, council_act, same_meeting, decision, motion, motion_defeated;  // [meeting]
  std::unique_ptr<RE2> person_pronoun;                                        // [person]
  std::unique_ptr<RE2> tie_pronoun;
  std::vector<Act> acts;
  size_t max_bytes = 500;
  size_t meeting_date_within = 32;
  size_t reference_act_within = 40;
  double confidence = 0.5;

  // The clause of `sentence` that holds `at`: between the clause breaks around it.
  TextSpan ClauseOf(std::string_view sentence, const TextSpan& at) const {
    TextSpan clause{0, sentence.size()};
    if (clause_break == nullptr) return clause;
    for (const TextSpan& b : AllSpans(*clause_break, sentence)) {
      if (b.end <= at.start) clause.start = std::max(clause.start, b.end);
      else if (b.start >= at.end) clause.end = std::min(clause.end, b.start);
    }
    return clause;
  }

  // Whether the words before byte `start` of `sentence` end as `re` says (a pattern ending in $):
  // "in " before a place makes it a location ("in Nairobi"), no party. False without the pattern.
  static bool Before(const std::unique_ptr<RE2>& re, std::string_view sentence, size_t start) { return BeforeSpan(re, sentence, start).has_value(); }

  // The words before byte `start` that `re` (ending in $) matches, as a span of `sentence`.
  static std::optional<TextSpan> BeforeSpan(const std::unique_ptr<RE2>& re, std::string_view sentence, size_t start) {
    if (re == nullptr) return std::nullopt;
    const size_t from = start > 48 ? start - 48 : 0;
    re2::StringPiece m;
    const std::string_view before = sentence.substr(from, start - from);
    if (!re->Match(Piece(before), 0, before.size(), RE2::UNANCHORED, &m, 1)) return std::nullopt;
    const size_t b = from + static_cast<size_t>(m.data() - before.data());
    return TextSpan{b, b + m.size()};
  }
};

TieFallback::TieFallback() : impl_(std::make_unique<Impl>()) {}
TieFallback::~TieFallback() = default;
double TieFallback::confidence() const { return impl_->confidence; }
size_t TieFallback::act_count() const {
  std::set<EventType> kinds;
  for (const Act& a : impl_->acts) kinds.insert(a.type);
  return kinds.size();
}
bool TieFallback::NamesTie(std::string_view text) const { return RE2::PartialMatch(Piece(text), *impl_->tie); }
std::string TieFallback::RuleId(EventType type) { return std::string("fallback.") + EventTypeName(type); }

Result<std::unique_ptr<TieFallback>> TieFallback::Load(const std::string& path) {
  auto parsed = ParseRuleFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = parsed.value();
  auto defines = ReadRuleDefines(root, path);
  if (!defines.ok()) return defines.status();
  std::unique_ptr<TieFallback> fallback(new TieFallback());
  Impl& impl = *fallback->impl_;

  auto compile = [&](const toml::node& node, const std::string& what, bool case_sensitive) -> Result<std::unique_ptr<RE2>> {
    const std::string where = RuleWhere(path, node);
    if (!node.is_string()) return Status::InvalidArgument(where + ": " + what + " must be a pattern string");
    auto expanded = ExpandRuleDefines(*node.value<std::string>(), defines.value());
    if (!expanded.ok()) return Status::InvalidArgument(where + ": " + what + ": " + expanded.status().message());
    auto re = CompileRulePattern(expanded.value(), case_sensitive);
    if (!re.ok()) return Status::InvalidArgument(where + ": " + what + ": " + re.status().message());
    return re;
  };

  if (const toml::node* node = root.at_path("confidence").node()) {
    auto value = node->value<double>();
    if (!value || *value <= 0 || *value > 1) return Status::InvalidArgument(RuleWhere(path, *node) + ": confidence must be a number in (0, 1]");
    impl.confidence = *value;
  }
  if (const toml::node* node = root.at_path("sentence.max_bytes").node()) {
    auto value = node->value<int64_t>();
    if (!value || *value <= 0) return Status::InvalidArgument(RuleWhere(path, *node) + ": sentence.max_bytes must be a positive integer");
    impl.max_bytes = static_cast<size_t>(*value);
  }
  if (const toml::node* node = root.at_path("sentence.reference_act_within").node()) {
    auto value = node->value<int64_t>();
    if (!value || *value < 0) return Status::InvalidArgument(RuleWhere(path, *node) + ": sentence.reference_act_within must be a number of bytes (0 or more)");
    impl.reference_act_within = static_cast<size_t>(*value);
  }
  if (const toml::node* node = root.at_path("meeting.date_within").node()) {
    auto value = node->value<int64_t>();
    if (!value || *value < 0) return Status::InvalidArgument(RuleWhere(path, *node) + ": meeting.date_within must be a number of bytes (0 or more)");
    impl.meeting_date_within = static_cast<size_t>(*value);
  }
  struct Plain {
    const char* name;
    std::unique_ptr<RE2>* to;
    bool required;
  };
  for (const Plain& p : {Plain{"sentence.tie", &impl.tie, true}, Plain{"sentence.clause_break", &impl.clause_break, false},
                         Plain{"sentence.location_before", &impl.location_before, false},
                         Plain{"sentence.members_before", &impl.members_before, false},
                         Plain{"sentence.list_opening", &impl.list_opening, false},
                         Plain{"sentence.one_place_before", &impl.one_place_before, false},
                         Plain{"sentence.other_subject", &impl.other_subject, false},
                         Plain{"sentence.founding", &impl.founding, false},
                         Plain{"sentence.guard", &impl.guard, false},
                         Plain{"sentence.condition", &impl.condition, false},
                         Plain{"sentence.reference_tie", &impl.reference_tie, false},
                         Plain{"sentence.not_partner_after", &impl.not_partner_after, false},
                         Plain{"meeting.opening", &impl.meeting_opening, false},
                         Plain{"meeting.council_act", &impl.council_act, false},
                         Plain{"meeting.same", &impl.same_meeting, false},
                         Plain{"meeting.decision", &impl.decision, false},
                         Plain{"meeting.motion", &impl.motion, false},
                         Plain{"meeting.motion_defeated", &impl.motion_defeated, false},
                         Plain{"person.pronoun", &impl.person_pronoun, false},
                         Plain{"sentence.tie_pronoun", &impl.tie_pronoun, false}}) {
    const toml::node* node = root.at_path(p.name).node();
    if (node == nullptr) {
      if (p.required) return Status::InvalidArgument(path + ": missing " + p.name + " (the words that name a tie)");
      continue;
    }
    auto re = compile(*node, p.name, false);
    if (!re.ok()) return re.status();
    *p.to = std::move(re.value());
  }
  const toml::array* acts = root["act"].as_array();
  if (acts == nullptr || acts->empty()) return Status::InvalidArgument(path + ": needs [[act]] tables (type and pattern)");
  for (const auto& node : *acts) {
    const std::string where = RuleWhere(path, node);
    const toml::table* t = node.as_table();
    if (t == nullptr) return Status::InvalidArgument(where + ": each [[act]] must be a table");
    auto type_name = (*t)["type"].value<std::string>();
    const toml::node* pattern = t->get("pattern");
    if (!type_name || pattern == nullptr) return Status::InvalidArgument(where + ": an [[act]] needs a type and a pattern");
    Act act;
    if (!ParseEventType(*type_name, &act.type)) {
      return Status::InvalidArgument(where + ": unknown type \"" + *type_name + "\" (agreement, termination, suspension, proposal)");
    }
    auto re = compile(*pattern, "act pattern", (*t)["case_sensitive"].value_or(false));
    if (!re.ok()) return re.status();
    act.re = std::move(re.value());
    act.weak = (*t)["weak"].value_or(false);
    impl.acts.push_back(std::move(act));
  }
  return fallback;
}

std::vector<TieFallback::Reading> TieFallback::Read(std::string_view sentence, const std::vector<CityMention>& cities,
                                                    const std::optional<Place>& referred, const EventRules& rules,
                                                    const std::optional<TextSpan>& tie_at,
                                                    const std::optional<std::pair<Place, Place>>& section) const {
  std::vector<Reading> out;
  const Impl& impl = *impl_;
  if (sentence.size() > impl.max_bytes || (cities.empty() && !referred && !section)) return out;
  re2::StringPiece tie_match;
  TextSpan tie;
  // Without a tie word, a tie noun and its partner ("the relationship with Yaroslavl") of the city
  // the article is about: read with acts of weight only, and the referred place as the other party.
  bool by_noun = false;
  if (tie_at) {
    tie = *tie_at;
  } else if (impl.tie->Match(Piece(sentence), 0, sentence.size(), RE2::UNANCHORED, &tie_match, 1)) {
    tie = {static_cast<size_t>(tie_match.data() - sentence.data()), static_cast<size_t>(tie_match.data() - sentence.data()) + tie_match.size()};
  } else {
    if (!referred) return out;
    for (const CityMention& c : cities) {
      if (auto noun = Impl::BeforeSpan(impl.reference_tie, sentence, c.start)) {
        tie = *noun;
        by_noun = true;
        break;
      }
    }
    if (!by_noun) return out;
  }
  const TextSpan clause = impl.ClauseOf(sentence, tie);
  const std::string_view clause_text = sentence.substr(clause.start, clause.end - clause.start);
  if (impl.guard != nullptr && RE2::PartialMatch(Piece(clause_text), *impl.guard)) return out;

  // The type: the first kind of act with a word in the clause; its word nearest the tie word.
  const Act* act = nullptr;
  TextSpan trigger;
  for (const Act& a : impl.acts) {
    if ((by_noun || tie_at) && a.weak) continue;
    size_t best_distance = std::string::npos;
    for (TextSpan s : AllSpans(*a.re, clause_text)) {
      s = {s.start + clause.start, s.end + clause.start};
      const size_t distance = s.end <= tie.start ? tie.start - s.end : (s.start >= tie.end ? s.start - tie.end : 0);
      if (distance < best_distance) {
        best_distance = distance;
        trigger = s;
      }
    }
    if (best_distance != std::string::npos) {
      act = &a;
      break;
    }
  }
  if (act == nullptr) return out;
  if (impl.condition != nullptr) {
    re2::StringPiece condition;
    if (impl.condition->Match(Piece(clause_text), 0, clause_text.size(), RE2::UNANCHORED, &condition, 1)) {
      const size_t at = clause.start + static_cast<size_t>(condition.data() - clause_text.data());
      if (act->type != EventType::kAgreement || trigger.end > at) return out;
    }
  }
  // A tie referred to is ended, paused or renewed; words of a tie to be ("plans to put it on hold")
  // say it has not happened.
  if (tie_at && std::any_of(impl.acts.begin(), impl.acts.end(), [&](const Act& a) {
        return a.type == EventType::kProposal && RE2::PartialMatch(Piece(clause_text), *a.re);
      })) {
    return out;
  }
  // A tie referred to ("it", "the link") is the act's object, right by its word: "a scheme Poland
  // scrapped in 2016" far after "the link" is about something else.
  if (tie_at && (trigger.end <= tie.start ? tie.start - trigger.end : (trigger.start >= tie.end ? trigger.start - tie.end : 0)) >
                    impl.reference_act_within) {
    return out;
  }

  // The founding words of the tie, for a sentence that ends or suspends it.
  std::optional<TextSpan> founding;
  if (impl.founding != nullptr) {
    for (const TextSpan& f : AllSpans(*impl.founding, sentence)) {
      if (f.end <= trigger.start || f.start >= trigger.end) {
        founding = f;
        break;
      }
    }
  }

  // The parties: the places named (each once), not those that are only where something happens.
  std::vector<CityMention> named;
  std::set<std::string> keys;
  for (const CityMention& c : cities) {
    if (Impl::Before(impl.location_before, sentence, c.start)) continue;
    // "a Beijing-led organisation", "Moscow-based": a place in a compound word is no party.
    if (c.end + 1 < sentence.size() && sentence[c.end] == '-' && std::islower(static_cast<unsigned char>(sentence[c.end + 1]))) continue;
    if (keys.insert(PlaceKey(c.place)).second) named.push_back(c);
  }
  if (section) {
    // Under a heading that names the pair ("3. Ballarat and Inagawa, Japan"): a sentence that names
    // no other place (one of the pair, or a division holding one, is no other) speaks of the pair.
    const std::string a = PlaceKey(section->first), b = PlaceKey(section->second);
    std::erase_if(named, [&](const CityMention& c) {
      const std::string key = PlaceKey(c.place);
      return key == a || key == b || OneHoldsOther(c.place, section->first) || OneHoldsOther(c.place, section->second);
    });
    if (!named.empty()) return out;
    named = {CityMention{tie.start, tie.start, "", section->first}, CityMention{tie.start, tie.start, "", section->second}};
  }
  std::vector<std::pair<size_t, size_t>> pairs;  // indexes into `named`; npos for the referred place
  constexpr size_t kReferred = std::string::npos;
  auto possessive = [&](const CityMention& c) {
    const std::string_view after = sentence.substr(c.end, 4);
    return after.starts_with("'s") || after.starts_with("\u2019s");
  };
  const bool own_subject = impl.other_subject != nullptr &&
                           RE2::PartialMatch(Piece(sentence.substr(0, std::min(tie.start, named.empty() ? tie.start : named[0].start))),
                                             *impl.other_subject);
  if (by_noun) {
    // The noun's partner is the one place named besides the referred city ("The city's ties ...:
    // the city council terminated its partnership with Podolsk"); more places are more than this
    // reading can tell apart.
    std::erase_if(named, [&](const CityMention& c) { return PlaceKey(c.place) == PlaceKey(*referred); });
    const bool only_where = impl.not_partner_after != nullptr &&
                            RE2::PartialMatch(Piece(sentence.substr(named[0].end, 24)), *impl.not_partner_after);
    if (named.size() == 1 && !own_subject && !only_where && PlaceKey(*referred) != PlaceKey(named[0].place) && named[0].start >= tie.end &&
        named[0].start <= tie.end + 2) {
      pairs.emplace_back(kReferred, 0);
    }
  } else if (named.size() == 1 && referred && !own_subject && PlaceKey(*referred) != PlaceKey(named[0].place) &&
      (impl.one_place_before == nullptr || Impl::Before(impl.one_place_before, sentence, named[0].start) || possessive(named[0]))) {
    pairs.emplace_back(kReferred, 0);
  } else if (named.size() == 2) {
    // "including Narva and Kohtla-Järve": members of a group, no pair of each other.
    if (!Impl::Before(impl.members_before, sentence, named[0].start)) pairs.emplace_back(0, 1);
  } else if (named.size() >= 3 && Impl::Before(impl.list_opening, sentence, named[1].start)) {
    // A list after the second place that takes in every other one: "Kisumu's twin towns are
    // Changsha, Roanoke and Tokyo". Anything else is more parties than a tie has.
    const std::vector<size_t> listed = rules.ListAfter(sentence, named, 1);
    if (listed.size() + 2 == named.size()) {
      pairs.emplace_back(0, 1);
      for (size_t j : listed) pairs.emplace_back(0, j);
    }
  }
  for (const auto& [a, b] : pairs) {
    const Place& first = a == kReferred ? *referred : named[a].place;
    const Place& second = named[b].place;
    if (OneHoldsOther(first, second)) continue;
    TextSpan match{std::min({tie.start, trigger.start, named[b].start}), std::max({tie.end, trigger.end, named[b].end})};
    if (a != kReferred) {
      match.start = std::min(match.start, named[a].start);
      match.end = std::max(match.end, named[a].end);
    }
    if (rules.Vetoed(sentence, cities, act->type, match)) continue;
    out.push_back({act->type, first, second, match, trigger});
    // "... formalised in 1985, were severed": the tie's founding, an agreement of its own.
    if (founding && (act->type == EventType::kTermination || act->type == EventType::kSuspension) &&
        !rules.Vetoed(sentence, cities, EventType::kAgreement, match)) {
      out.push_back({EventType::kAgreement, first, second, match, *founding, true});
    }
  }
  return out;
}

std::optional<TextSpan> TieFallback::MeetingDateAfter(std::string_view sentence) const {
  for (const std::unique_ptr<RE2>* re : {&impl_->meeting_opening, &impl_->council_act}) {
    if (*re == nullptr) continue;
    re2::StringPiece m;
    if ((*re)->Match(Piece(sentence), 0, sentence.size(), RE2::UNANCHORED, &m, 1)) {
      const size_t b = static_cast<size_t>(m.data() - sentence.data());
      return TextSpan{b, b + m.size()};
    }
  }
  return std::nullopt;
}

namespace {

// Where `re` matches in `sentence`: its group `ref`, else the whole match. Nothing without `re`.
std::optional<TextSpan> RefSpan(const std::unique_ptr<RE2>& re, std::string_view sentence) {
  if (re == nullptr) return std::nullopt;
  const auto& names = re->NamedCapturingGroups();
  const int ref = names.count("ref") ? names.at("ref") : 0;
  std::vector<re2::StringPiece> groups(ref + 1);
  if (!re->Match(Piece(sentence), 0, sentence.size(), RE2::UNANCHORED, groups.data(), ref + 1)) return std::nullopt;
  const size_t b = static_cast<size_t>(groups[ref].data() - sentence.data());
  return TextSpan{b, b + groups[ref].size()};
}

}  // namespace

std::optional<TextSpan> TieFallback::PersonReference(std::string_view sentence) const { return RefSpan(impl_->person_pronoun, sentence); }
std::optional<TextSpan> TieFallback::TiePronoun(std::string_view sentence) const { return RefSpan(impl_->tie_pronoun, sentence); }

size_t TieFallback::meeting_date_within() const { return impl_->meeting_date_within; }

bool TieFallback::OpensMinutes(std::string_view sentence) const {
  return impl_->meeting_opening != nullptr && RE2::PartialMatch(Piece(sentence), *impl_->meeting_opening);
}

bool TieFallback::SameMeeting(std::string_view sentence) const {
  return impl_->same_meeting != nullptr && RE2::PartialMatch(Piece(sentence), *impl_->same_meeting);
}

bool TieFallback::Motion(std::string_view sentence) const {
  return impl_->motion != nullptr && RE2::PartialMatch(Piece(sentence), *impl_->motion);
}

bool TieFallback::MotionDefeated(std::string_view sentence) const {
  return impl_->motion_defeated != nullptr && RE2::PartialMatch(Piece(sentence), *impl_->motion_defeated);
}

bool TieFallback::Decision(std::string_view sentence) const {
  return impl_->decision != nullptr && RE2::PartialMatch(Piece(sentence), *impl_->decision);
}

}  // namespace tw
