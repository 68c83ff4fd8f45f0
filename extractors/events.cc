#include "extractors/events.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "extractors/rule_file.h"

namespace tw {

struct EventRule {
  std::string id;
  EventType type = EventType::kAgreement;
  double confidence = 0.8;
  std::unique_ptr<RE2> re;
  int group_a = 0, group_b = 0;  // capturing-group numbers of {A} and {B}
  int group_trigger = -1;        // of the trigger word (?P<T>...), if the pattern marks it
  // The same pattern with its gaps unbounded and captured (CaptureGaps), tried first: its match is
  // the rule's own whenever every gap keeps its bound, and it is found in about half the time.
  // Null when the pattern has no such gaps or cannot be read so.
  std::unique_ptr<RE2> unbounded;
  std::vector<int> own_groups;  // per group of `unbounded`, the number of the same group in `re` (0: a gap's)
  bool starts_with_party = false;  // the pattern opens with {A} or {B}: a match starts at a placeholder
  std::vector<std::pair<int, size_t>> gaps;  // group number in `unbounded`, bound
  bool topic = false;            // fires only in articles that speak of ties (EventRules::OnTopic)
  size_t date_after = std::string::npos;  // how far after the match its date may stand
  bool reference = false;        // fires only when its pair stands for a tie named before
};

namespace {

// A veto: what it matches is no event (a call to act, a negation...).
struct NotRule {
  std::string id;
  std::unique_ptr<RE2> re;
  std::set<EventType> types;  // empty: every type
  bool before = false;        // also vetoes events it precedes in the sentence
  bool sentence = false;      // vetoes every event of the sentence
};

// RE2's automata cache their states within this much memory. The default (8 MB) is too little for
// the rules together: the combined automaton kept starting over, 20 times slower. Memory is taken
// only as states are built.
constexpr int64_t kSetMemory = int64_t{64} << 20;

// Placeholders stand in for city mentions in the rewritten sentence. Underscores are word
// characters, so rules can put \b around {A} and {B}.
std::string Placeholder(size_t index) { return "__C" + std::to_string(index) + "__"; }

// The city index a captured placeholder stands for, or `none` when the group took no part in the
// match or is no placeholder of ours: a rule's alternative may leave a party out, and text may hold
// look-alikes such as "__C99999999999999999999__" (too long for any index).
size_t PlaceholderIndex(const re2::StringPiece& group, size_t none) {
  if (group.data() == nullptr || group.size() < 6 || group.size() > 12) return none;
  if (group.substr(0, 3) != "__C" || group.substr(group.size() - 2) != "__") return none;
  size_t index = 0;
  for (size_t i = 3; i + 2 < group.size(); ++i) {
    const char digit = group[i];
    if (digit < '0' || digit > '9') return none;
    index = index * 10 + static_cast<size_t>(digit - '0');
  }
  return index < none ? index : none;
}
constexpr const char* kPlaceholderPattern = R"(__C\d+__)";

// The sentence with placeholders, and for each rewritten byte the sentence bytes it stands for.
struct Rewritten {
  std::string text;
  std::vector<size_t> origin_start, origin_end;
};

Rewritten Rewrite(std::string_view sentence, const std::vector<CityMention>& cities) {
  Rewritten r;
  auto copy_until = [&](size_t& pos, size_t until) {
    for (; pos < until; ++pos) {
      r.text.push_back(sentence[pos]);
      r.origin_start.push_back(pos);
      r.origin_end.push_back(pos + 1);
    }
  };
  size_t pos = 0;
  for (size_t i = 0; i < cities.size(); ++i) {
    const auto& c = cities[i];
    if (i > 0 && c.start == cities[i - 1].start && c.end == cities[i - 1].end && c.start < c.end && pos == c.end) {
      // The second of a pair stand-in ("the two cities"): read as "{A} and {B}".
      for (char ch : " and " + Placeholder(i)) {
        r.text.push_back(ch);
        r.origin_start.push_back(c.start);
        r.origin_end.push_back(c.end);
      }
      continue;
    }
    if (c.start < pos) continue;  // overlapping mentions: the first one stands
    copy_until(pos, c.start);
    // An implied party (an empty span, EventRules::ImpliedParty) reads as the possessive before
    // the tie that follows: "{A}'s contacts with {B}".
    for (char ch : c.start == c.end ? Placeholder(i) + "'s " : Placeholder(i)) {
      r.text.push_back(ch);
      r.origin_start.push_back(c.start);
      r.origin_end.push_back(c.end);
    }
    pos = c.end;
  }
  copy_until(pos, sentence.size());
  return r;
}

// Reads a [[rule]] or [[not]] pattern: definitions expanded, {A} and {B} as placeholders.
Result<std::unique_ptr<RE2>> CompilePattern(const std::string& pattern, const RuleDefines& defines, bool case_sensitive,
                                            bool with_parties) {
  int parties = 0;
  auto expanded = ExpandRuleDefines(pattern, defines, [&](const std::string& name, std::string* out) {
    if (!with_parties || (name != "A" && name != "B")) return false;
    *out = "(?P<" + name + ">" + kPlaceholderPattern + ")";
    ++parties;
    return true;
  });
  if (!expanded.ok()) return expanded.status();
  // RE2 takes a name twice, but an event reads the first group of that name only: a party in two
  // alternatives would never be read there.
  if (parties > 2) return Status::InvalidArgument("{A} and {B} may stand once each in a pattern (write two rules for two readings)");
  return CompileRulePattern(expanded.value(), case_sensitive);
}

// Whether `outer` is the first-level division `inner` lies in: a city and its own province are no
// pair ("Kazan ... the Tatarstan government").
bool Contains(const Place& outer, const Place& inner) {
  return outer.feature == "ADM1" && inner.feature != "ADM1" && !outer.admin1.empty() && outer.country == inner.country &&
         outer.admin1 == inner.admin1;
}

}  // namespace

struct EventRules::Impl {
  std::vector<std::unique_ptr<EventRule>> rules;
  std::unique_ptr<RE2::Set> any;  // every rule at once: which can fire in a sentence
  std::vector<NotRule> vetoes;
  std::unique_ptr<RE2> list_separator, list_end, subject, possessive, pair, tie, implied, office, described, tie_pronoun, topic;

  bool Vetoed(const std::vector<std::tuple<const NotRule*, size_t, size_t>>& vetoes_found, EventType type, size_t start,
              size_t end) const {
    for (const auto& [veto, b, e] : vetoes_found) {
      if (!veto->types.empty() && veto->types.count(type) == 0) continue;
      if (veto->sentence) return true;
      if (b < end && start < e) return true;
      if (veto->before && e <= start) return true;
    }
    return false;
  }

  // Every veto match in `text` (a rewritten sentence): rule, start, end.
  std::vector<std::tuple<const NotRule*, size_t, size_t>> VetoesIn(const std::string& text) const {
    std::vector<std::tuple<const NotRule*, size_t, size_t>> found;
    for (const auto& veto : vetoes) {
      re2::StringPiece input(text), m;
      size_t pos = 0;
      while (pos < text.size() && veto.re->Match(input, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
        const size_t b = m.data() - text.data(), e = b + m.size();
        found.emplace_back(&veto, b, e);
        pos = e > b ? e : b + 1;
      }
    }
    return found;
  }

  // The places listed after party `b`: "B, C and D" or "B, Country; C, Country; and D".
  std::vector<size_t> ListAfter(std::string_view sentence, const std::vector<CityMention>& cities, size_t b) const {
    std::vector<size_t> more;
    if (list_separator == nullptr) return more;
    size_t last = b;
    std::string_view last_between;  // the separator before the last member
    for (size_t j = b + 1; j < cities.size(); ++j) {
      if (cities[j].start < cities[last].end) break;
      const std::string_view between = sentence.substr(cities[last].end, cities[j].start - cities[last].end);
      if (!RE2::FullMatch(re2::StringPiece(between.data(), between.size()), *list_separator)) break;
      more.push_back(j);
      last = j;
      last_between = between;
    }
    if (more.empty()) return more;
    // A list ends the clause ("..., and Khabarovsk, Russia."); "B, and C signed ..." is no list,
    // unless a preposition puts it in the clause's object and a conjunction closes it ("its
    // partnerships with Nuremberg, Bologna and Kaunas remain active"; not an apposition: "with Bad
    // Dürkheim, Germany, the Rhineland-Palatinate wine town whose ...").
    const std::string padded = " " + std::string(last_between) + " ";
    const bool closed_by_conjunction = padded.find(" and ") != std::string::npos || padded.find(" or ") != std::string::npos ||
                                       padded.find(" as well as ") != std::string::npos;
    const std::string_view before = sentence.substr(0, cities[b].start);
    for (const char* word : {"with ", "between ", "include ", "includes ", "including ", "such as "}) {
      const std::string_view w(word);
      if (before.size() >= w.size() && before.substr(before.size() - w.size()) == w && closed_by_conjunction) return more;
    }
    const std::string_view after = sentence.substr(cities[last].end);
    re2::StringPiece rest(after.data(), after.size());
    if (!RE2::PartialMatch(rest, *list_end)) more.clear();
    return more;
  }
};

EventRules::EventRules() : impl_(std::make_unique<Impl>()) {}
EventRules::~EventRules() = default;
size_t EventRules::size() const { return impl_->rules.size(); }

bool EventRules::Vetoed(std::string_view sentence, const std::vector<CityMention>& cities, EventType type,
                        const TextSpan& span) const {
  const Rewritten r = Rewrite(sentence, cities);
  // Each veto back in the sentence's bytes, then judged as for a rule's match.
  std::vector<std::tuple<const NotRule*, size_t, size_t>> vetoes = impl_->VetoesIn(r.text);
  for (auto& [veto, b, e] : vetoes) {
    if (r.text.empty()) break;
    const size_t last = std::min(std::max(e, b + 1), r.text.size()) - 1;
    b = b < r.origin_start.size() ? r.origin_start[b] : sentence.size();
    e = r.origin_end[last];
  }
  return impl_->Vetoed(vetoes, type, span.start, span.end);
}

std::vector<size_t> EventRules::ListAfter(std::string_view sentence, const std::vector<CityMention>& cities, size_t b) const {
  return impl_->ListAfter(sentence, cities, b);
}
const std::string& EventRules::RuleId(const EventRule* rule) { return rule->id; }
double EventRules::RuleConfidence(const EventRule* rule) { return rule->confidence; }
size_t EventRules::RuleDateAfter(const EventRule* rule) { return rule->date_after; }

Result<std::unique_ptr<EventRules>> EventRules::Load(const std::string& path) {
  auto parsed = ParseRuleFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = parsed.value();
  auto defines = ReadRuleDefines(root, path);
  if (!defines.ok()) return defines.status();
  std::unique_ptr<EventRules> rules(new EventRules());
  Impl& impl = *rules->impl_;

  // [lists] and [coreference]: plain patterns, each optional (without them: no lists, no stand-ins).
  struct Plain {
    const char* name;
    std::unique_ptr<RE2>* to;
  };
  for (const Plain& p : {Plain{"lists.separator", &impl.list_separator}, Plain{"lists.end", &impl.list_end},
                         Plain{"coreference.subject", &impl.subject}, Plain{"coreference.possessive", &impl.possessive},
                         Plain{"coreference.pair", &impl.pair}, Plain{"coreference.tie", &impl.tie},
                         Plain{"coreference.implied", &impl.implied}, Plain{"coreference.office", &impl.office},
                         Plain{"coreference.described", &impl.described}, Plain{"coreference.tie_pronoun", &impl.tie_pronoun}}) {
    const toml::node* node = root.at_path(p.name).node();
    if (node == nullptr) continue;
    if (!node->is_string()) return Status::InvalidArgument(RuleWhere(path, *node) + ": " + p.name + " must be a pattern string");
    auto re = CompilePattern(*node->value<std::string>(), defines.value(), true, false);
    if (!re.ok()) return Status::InvalidArgument(RuleWhere(path, *node) + ": " + p.name + ": " + re.status().message());
    *p.to = std::move(re.value());
  }
  if ((impl.list_separator == nullptr) != (impl.list_end == nullptr)) {
    return Status::InvalidArgument(path + ": [lists] needs both separator and end");
  }
  for (const auto* re : {impl.subject.get(), impl.possessive.get(), impl.pair.get(), impl.tie.get(), impl.implied.get(),
                          impl.office.get(), impl.described.get(), impl.tie_pronoun.get()}) {
    if (re != nullptr && re->NamedCapturingGroups().count("ref") == 0) {
      return Status::InvalidArgument(path + ": coreference patterns need a group (?P<ref>...) for the stand-in");
    }
  }
  if (const toml::node* node = root.at_path("topic.pattern").node()) {
    if (!node->is_string()) return Status::InvalidArgument(RuleWhere(path, *node) + ": topic.pattern must be a pattern string");
    auto re = CompilePattern(*node->value<std::string>(), defines.value(), false, false);
    if (!re.ok()) return Status::InvalidArgument(RuleWhere(path, *node) + ": topic.pattern: " + re.status().message());
    impl.topic = std::move(re.value());
  }

  std::set<std::string> ids;
  if (const toml::array* vetoes = root["not"].as_array()) {
    for (const auto& node : *vetoes) {
      const std::string where = RuleWhere(path, node);
      const toml::table* t = node.as_table();
      if (!t) return Status::InvalidArgument(where + ": each [[not]] must be a table");
      NotRule veto;
      auto id = (*t)["id"].value<std::string>();
      auto pattern = (*t)["pattern"].value<std::string>();
      if (!id || id->empty() || !pattern) return Status::InvalidArgument(where + ": a [[not]] rule needs an id and a pattern");
      if (!ids.insert(*id).second) return Status::InvalidArgument(where + ": duplicate rule id '" + *id + "'");
      veto.id = *id;
      auto re = CompilePattern(*pattern, defines.value(), (*t)["case_sensitive"].value_or(false), false);
      if (!re.ok()) return Status::InvalidArgument(where + ": rule '" + *id + "': " + re.status().message());
      veto.re = std::move(re.value());
      veto.before = (*t)["before"].value_or(false);
      veto.sentence = (*t)["sentence"].value_or(false);
      Status st = ForEachRuleString((*t).get("types"), path, "rule '" + *id + "' types", false, [&](const std::string& name) {
        EventType type;
        if (ParseEventType(name, &type)) veto.types.insert(type);
        else veto.types.insert(static_cast<EventType>(-1));  // reported below
      });
      if (!st.ok()) return st;
      if (veto.types.count(static_cast<EventType>(-1)) > 0) {
        return Status::InvalidArgument(where + ": rule '" + *id + "': types must be agreement, termination, suspension or proposal");
      }
      impl.vetoes.push_back(std::move(veto));
    }
  }

  const toml::array* list = root["rule"].as_array();
  if (list == nullptr || list->empty()) return Status::InvalidArgument(path + ": no [[rule]] entries");
  RE2::Options set_options;
  set_options.set_log_errors(false);
  set_options.set_case_sensitive(false);
  set_options.set_max_mem(kSetMemory);
  impl.any = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  for (const auto& node : *list) {
    const toml::table* t = node.as_table();
    const std::string where = RuleWhere(path, node);
    if (!t) return Status::InvalidArgument(where + ": each rule must be a table");
    auto rule = std::make_unique<EventRule>();
    auto id = (*t)["id"].value<std::string>();
    auto type = (*t)["type"].value<std::string>();
    auto pattern = (*t)["pattern"].value<std::string>();
    if (!id || id->empty()) return Status::InvalidArgument(where + ": rule without an id");
    if (!ids.insert(*id).second) return Status::InvalidArgument(where + ": duplicate rule id '" + *id + "'");
    if (!type || !ParseEventType(*type, &rule->type)) {
      return Status::InvalidArgument(where + ": rule '" + *id + "': type must be agreement, termination, suspension or proposal");
    }
    if (!pattern) return Status::InvalidArgument(where + ": rule '" + *id + "' has no pattern");
    rule->id = *id;
    rule->confidence = (*t)["confidence"].value_or(0.8);
    rule->topic = (*t)["topic"].value_or(false);
    rule->reference = (*t)["reference"].value_or(false);
    if (auto after = (*t)["date_after"].value<int64_t>()) {
      if (*after < 0) return Status::InvalidArgument(where + ": rule '" + *id + "': date_after must be a number of bytes >= 0");
      rule->date_after = static_cast<size_t>(*after);
    }
    if (rule->confidence <= 0 || rule->confidence > 1) {
      return Status::InvalidArgument(where + ": rule '" + *id + "': confidence must be in (0, 1]");
    }
    auto re = CompilePattern(*pattern, defines.value(), (*t)["case_sensitive"].value_or(false), true);
    if (!re.ok()) return Status::InvalidArgument(where + ": rule '" + *id + "': " + re.status().message());
    rule->re = std::move(re.value());
    const auto& groups = rule->re->NamedCapturingGroups();
    auto a = groups.find("A"), b = groups.find("B");
    if (a == groups.end() || b == groups.end()) {
      return Status::InvalidArgument(where + ": rule '" + *id + "': pattern must contain both {A} and {B}");
    }
    rule->group_a = a->second;
    rule->group_b = b->second;
    if (auto trigger = groups.find("T"); trigger != groups.end()) rule->group_trigger = trigger->second;
    if (auto captured = CaptureGaps(rule->re->pattern()); captured && !captured->gaps.empty()) {
      auto unbounded = std::make_unique<RE2>(captured->pattern, rule->re->options());
      if (unbounded->ok()) {
        const auto& named = unbounded->NamedCapturingGroups();
        for (const auto& [name, bound] : captured->gaps) rule->gaps.emplace_back(named.at(name), bound);
        // The gaps' groups are new; the others keep their order.
        rule->own_groups.assign(unbounded->NumberOfCapturingGroups() + 1, 0);
        int own = 0;
        for (int g = 1; g <= unbounded->NumberOfCapturingGroups(); ++g) {
          const bool gap = std::any_of(rule->gaps.begin(), rule->gaps.end(), [&](const auto& x) { return x.first == g; });
          if (!gap) rule->own_groups[g] = ++own;
        }
        if (own != rule->re->NumberOfCapturingGroups()) unbounded.reset();  // not the same groups: not used
        rule->starts_with_party = (captured->pattern.rfind("(?P<A>", 0) == 0 || captured->pattern.rfind("(?P<B>", 0) == 0) &&
                                  OpensWithGroup(captured->pattern);
        if (unbounded != nullptr) rule->unbounded = std::move(unbounded);
      }
    }
    std::string error;
    if (impl.any->Add(LoosenRepetitions(rule->re->pattern()), &error) < 0) return Status::InvalidArgument(where + ": rule '" + *id + "': " + error);
    impl.rules.push_back(std::move(rule));
  }
  if (!impl.any->Compile()) return Status::InvalidArgument(path + ": the rules together are too large for RE2");
  return rules;
}

namespace {

// The (?P<ref>...) group of the first match of `re` in `sentence`.
std::optional<TextSpan> Reference(const RE2* re, std::string_view sentence, RE2::Anchor anchor) {
  if (re == nullptr) return std::nullopt;
  re2::StringPiece input(sentence.data(), sentence.size());
  const int group = re->NamedCapturingGroups().at("ref");
  std::vector<re2::StringPiece> groups(group + 1);
  if (!re->Match(input, 0, sentence.size(), anchor, groups.data(), group + 1)) return std::nullopt;
  if (groups[group].data() == nullptr) return std::nullopt;
  const size_t start = groups[group].data() - sentence.data();
  return TextSpan{start, start + groups[group].size()};
}

}  // namespace

std::optional<TextSpan> EventRules::SubjectReference(std::string_view sentence) const {
  return Reference(impl_->subject.get(), sentence, RE2::ANCHOR_START);
}

std::optional<TextSpan> EventRules::PossessiveReference(std::string_view sentence) const {
  return Reference(impl_->possessive.get(), sentence, RE2::UNANCHORED);
}

std::optional<TextSpan> EventRules::PairReference(std::string_view sentence) const {
  return Reference(impl_->pair.get(), sentence, RE2::UNANCHORED);
}

std::optional<TextSpan> EventRules::TieReference(std::string_view sentence) const {
  auto named = Reference(impl_->tie.get(), sentence, RE2::UNANCHORED);
  auto pronoun = Reference(impl_->tie_pronoun.get(), sentence, RE2::UNANCHORED);
  if (!named || (pronoun && pronoun->start < named->start)) return pronoun;
  return named;
}

std::optional<TextSpan> EventRules::ImpliedParty(std::string_view sentence) const {
  return Reference(impl_->implied.get(), sentence, RE2::ANCHOR_START);
}

namespace {

// Every match of `re` in `sentence`, left to right, without overlaps: the whole match, the group
// `ref`, and the groups named in `also` (empty spans for a group absent or taking no part).
struct Found {
  TextSpan whole, ref;
  std::vector<TextSpan> also;
};
std::vector<Found> AllMatches(const RE2& re, std::string_view sentence, std::initializer_list<const char*> also = {}) {
  std::vector<Found> out;
  const auto& names = re.NamedCapturingGroups();
  const int ref_group = names.at("ref");
  std::vector<int> also_groups;
  int groups_wanted = ref_group + 1;
  for (const char* name : also) {
    also_groups.push_back(names.count(name) ? names.at(name) : -1);
    groups_wanted = std::max(groups_wanted, also_groups.back() + 1);
  }
  std::vector<re2::StringPiece> groups(groups_wanted);
  re2::StringPiece input(sentence.data(), sentence.size());
  auto span_of = [&](int group) {
    if (group < 0 || groups[group].data() == nullptr) return TextSpan{0, 0};
    const size_t start = groups[group].data() - sentence.data();
    return TextSpan{start, start + groups[group].size()};
  };
  size_t pos = 0;
  while (pos < sentence.size() && re.Match(input, pos, sentence.size(), RE2::UNANCHORED, groups.data(), groups_wanted)) {
    const size_t start = groups[0].data() - sentence.data(), end = start + groups[0].size();
    if (groups[ref_group].data() != nullptr) {
      Found f{TextSpan{start, end}, span_of(ref_group), {}};
      for (int group : also_groups) f.also.push_back(span_of(group));
      out.push_back(std::move(f));
    }
    pos = end > start ? end : start + 1;
  }
  return out;
}

}  // namespace

std::vector<EventRules::OfficeHolder> EventRules::OfficeHolders(std::string_view sentence) const {
  std::vector<OfficeHolder> out;
  if (impl_->office == nullptr) return out;
  for (const Found& f : AllMatches(*impl_->office, sentence)) out.push_back({f.whole, f.ref});
  return out;
}

std::vector<EventRules::DescribedPlace> EventRules::DescribedPlaces(std::string_view sentence) const {
  std::vector<DescribedPlace> out;
  if (impl_->described == nullptr) return out;
  for (const Found& f : AllMatches(*impl_->described, sentence, {"division", "city"})) {
    const bool division = f.also[0].end > f.also[0].start, city = f.also[1].end > f.also[1].start;
    out.push_back({f.ref, division ? DescribedPlace::kDivision : city ? DescribedPlace::kCity : DescribedPlace::kAny});
  }
  return out;
}

bool EventRules::OnTopic(std::string_view text) const {
  return impl_->topic == nullptr || RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *impl_->topic);
}

namespace {

// Whether a placeholder starts at text[i] (as the case-insensitive pattern reads it).
bool PlaceholderAt(const std::string& text, size_t i) {
  if (text.compare(i, 2, "__") != 0 || i + 2 >= text.size() || (text[i + 2] != 'C' && text[i + 2] != 'c')) return false;
  size_t j = i + 3;
  while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
  return j > i + 3 && text.compare(j, 2, "__") == 0;
}

// The leftmost-first match of the rule's unbounded pattern. A pattern that opens with a party can
// only start at a placeholder: the first placeholder where an anchored match succeeds holds the
// leftmost match, found without the automata an unanchored search builds to find where it starts.
bool SearchUnbounded(const EventRule& rule, const std::string& text, std::vector<re2::StringPiece>* groups) {
  const re2::StringPiece input(text);
  const int n = static_cast<int>(groups->size());
  if (!rule.starts_with_party) return rule.unbounded->Match(input, 0, text.size(), RE2::UNANCHORED, groups->data(), n);
  for (size_t at = text.find("__"); at != std::string::npos; at = text.find("__", at + 1)) {
    if (PlaceholderAt(text, at) && rule.unbounded->Match(input, at, text.size(), RE2::ANCHOR_START, groups->data(), n)) return true;
  }
  return false;
}

// Matches `rule` in `text`, with the groups of the rule's own pattern (into `groups`, numbered as
// in it): through the unbounded pattern when every gap keeps its bound, else the rule's own.
bool MatchRule(const EventRule& rule, const std::string& text, std::vector<re2::StringPiece>* groups) {
  groups->assign(rule.re->NumberOfCapturingGroups() + 1, re2::StringPiece());
  if (rule.unbounded != nullptr) {
    std::vector<re2::StringPiece> unbounded(rule.unbounded->NumberOfCapturingGroups() + 1);
    // No match here, none with the bounds either: they only take matches away.
    if (!SearchUnbounded(rule, text, &unbounded)) return false;
    // A gap is one character per round, one byte or more each: within its bound in bytes, it is
    // within its bound; an ASCII gap over it is over it; others are left to the rule's own pattern.
    const bool within = std::all_of(rule.gaps.begin(), rule.gaps.end(), [&](const std::pair<int, size_t>& gap) {
      return unbounded[gap.first].size() <= gap.second;
    });
    if (within) {
      (*groups)[0] = unbounded[0];
      for (size_t g = 1; g < unbounded.size(); ++g) {
        if (rule.own_groups[g] > 0) (*groups)[rule.own_groups[g]] = unbounded[g];
      }
      return true;
    }
  }
  return rule.re->Match(re2::StringPiece(text), 0, text.size(), RE2::UNANCHORED, groups->data(), static_cast<int>(groups->size()));
}

}  // namespace

std::vector<EventRules::Match> EventRules::MatchSentence(std::string_view sentence, const std::vector<CityMention>& cities,
                                                        bool on_topic, bool tie_reference) const {
  std::vector<Match> out;
  if (cities.size() < 2) return out;
  const Rewritten r = Rewrite(sentence, cities);
  std::vector<int> hits;
  RE2::Set::ErrorInfo error;
  if (!impl_->any->Match(r.text, &hits, &error)) {
    if (error.kind != RE2::Set::kOutOfMemory) return out;
    // The combined automaton ran out of memory on this sentence: try every rule on its own.
    hits.clear();
    for (size_t i = 0; i < impl_->rules.size(); ++i) hits.push_back(static_cast<int>(i));
  }
  if (hits.empty()) return out;
  std::sort(hits.begin(), hits.end());

  // Vetoes found in the sentence: rule, start, end (rewritten bytes). Looked for once a rule matches.
  std::vector<std::tuple<const NotRule*, size_t, size_t>> vetoes;
  bool vetoes_found = false;
  auto find_vetoes = [&] {
    vetoes_found = true;
    vetoes = impl_->VetoesIn(r.text);
  };

  auto index_of = [&](const re2::StringPiece& g) { return PlaceholderIndex(g, cities.size()); };
  auto place_key = [&](size_t i) { return cities[i].place.geonameid != 0 ? std::to_string(cities[i].place.geonameid) : cities[i].place.name; };
  std::set<std::pair<std::string, std::string>> pairs_taken;
  // Once every pair of places has its rule, later rules cannot add anything.
  std::set<std::string> places;
  for (size_t i = 0; i < cities.size(); ++i) places.insert(place_key(i));
  const size_t all_pairs = places.size() * (places.size() - 1) / 2;
  std::vector<re2::StringPiece> groups;
  for (int hit : hits) {
    if (!tie_reference && pairs_taken.size() >= all_pairs) break;
    const EventRule& rule = *impl_->rules[hit];
    if (rule.topic && !on_topic) continue;
    if (rule.reference != tie_reference) continue;  // a tie reference is read by its own rules only
    if (!MatchRule(rule, r.text, &groups)) continue;
    if (!vetoes_found) find_vetoes();
    const size_t a = index_of(groups[rule.group_a]);
    size_t b = index_of(groups[rule.group_b]);
    // "Osaka ... dissolving the relationship between the two cities": where the pair stand-in's
    // first place is the other party already, its second one is meant.
    if (a < cities.size() && b + 1 < cities.size() && place_key(a) == place_key(b) && cities[b + 1].start == cities[b].start &&
        cities[b + 1].end == cities[b].end) {
      ++b;
    }
    if (a >= cities.size() || b >= cities.size() || a == b) continue;
    const size_t mb = groups[0].data() - r.text.data();
    const size_t me = mb + groups[0].size();  // a match holds {A} and {B}, so it is never empty
    if (impl_->Vetoed(vetoes, rule.type, mb, me)) continue;
    size_t tb = mb, te = me;  // the trigger word, when the rule marks it
    if (rule.group_trigger > 0 && groups[rule.group_trigger].data() != nullptr && !groups[rule.group_trigger].empty()) {
      tb = groups[rule.group_trigger].data() - r.text.data();
      te = tb + groups[rule.group_trigger].size();
    }
    std::vector<size_t> parties = {b};
    for (size_t more : impl_->ListAfter(sentence, cities, b)) parties.push_back(more);
    for (size_t party : parties) {
      if (party == a || place_key(a) == place_key(party)) continue;
      if (Contains(cities[a].place, cities[party].place) || Contains(cities[party].place, cities[a].place)) continue;
      std::string ka = place_key(a), kb = place_key(party);
      if (kb < ka) std::swap(ka, kb);
      // A tie referred to may be read twice: "ending a relationship that began in 1964" ends it and
      // dates its start.
      if (tie_reference) kb += std::string("|") + EventTypeName(rule.type);
      if (!pairs_taken.emplace(std::move(ka), std::move(kb)).second) continue;
      // A listed place is its own trigger, and the match reaches it: "Kyoto followed in 1963, and
      // Tel Aviv in 1979" dates Tel Aviv by the date nearest it. A date in the list before it (after
      // {B}) belongs to a member before it: "Kobe, Japan, its oldest, dating from 1957, and Mombasa".
      const bool listed = party != b;
      const size_t end = listed ? std::max(r.origin_end[me - 1], cities[party].end) : r.origin_end[me - 1];
      Match match{rule.type, a, party, r.origin_start[mb], end, listed ? cities[party].start : r.origin_start[tb],
                  listed ? cities[party].end : r.origin_end[te - 1], &rule};
      if (listed) match.others_dates = {cities[b].end, cities[party].start};
      out.push_back(match);
    }
  }
  return out;
}

}  // namespace tw
