#include "extractors/events.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "extractors/rule_file.h"

namespace tw {

struct EventRule {
  std::string id;
  EventType type = EventType::kAgreement;
  double confidence = 0.8;
  std::unique_ptr<RE2> re;
  int group_a = 0, group_b = 0;  // capturing-group numbers of {A} and {B}
};

namespace {

// Placeholders stand in for city mentions in the rewritten sentence. Underscores are word
// characters, so rules can put \b around {A} and {B}.
std::string Placeholder(size_t index) { return "__C" + std::to_string(index) + "__"; }
constexpr const char* kPlaceholderPattern = R"(__C\d+__)";

std::string Where(const std::string& path, const toml::source_region& src) {
  return path + ":" + std::to_string(src.begin.line);
}

// Replaces {NAME} with the named definition (itself expanded), {A}/{B} with capturing placeholders.
Result<std::string> Expand(const std::string& pattern, const std::map<std::string, std::string>& defines,
                           int depth = 0) {
  if (depth > 16) return Status::InvalidArgument("definitions nest too deeply (a definition uses itself?)");
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        std::string name = pattern.substr(i + 1, close - i - 1);
        if (name == "A" || name == "B") {
          out += "(?P<" + name + ">" + kPlaceholderPattern + ")";
          i = close + 1;
          continue;
        }
        if (auto it = defines.find(name); it != defines.end()) {
          auto inner = Expand(it->second, defines, depth + 1);
          if (!inner.ok()) return inner.status();
          out += "(?:" + inner.value() + ")";
          i = close + 1;
          continue;
        }
        bool looks_like_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) || c == '_'; });
        if (looks_like_name) return Status::InvalidArgument("unknown definition {" + name + "}");
      }
    }
    out.push_back(pattern[i]);
    ++i;
  }
  return out;
}

}  // namespace

EventRules::~EventRules() = default;
const std::string& EventRules::RuleId(const EventRule* rule) { return rule->id; }
double EventRules::RuleConfidence(const EventRule* rule) { return rule->confidence; }

Result<std::unique_ptr<EventRules>> EventRules::Load(const std::string& path) {
  auto parsed = ParseRuleFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = parsed.value();
  std::map<std::string, std::string> defines;
  if (const toml::table* defs = root["define"].as_table()) {
    for (const auto& [key, value] : *defs) {
      const auto* s = value.as_string();
      if (!s) return Status::InvalidArgument(Where(path, value.source()) + ": define." + std::string(key.str()) + " must be a string");
      defines[std::string(key.str())] = s->get();
    }
  }
  std::unique_ptr<EventRules> rules(new EventRules());
  const toml::array* list = root["rule"].as_array();
  if (list == nullptr || list->empty()) return Status::InvalidArgument(path + ": no [[rule]] entries");
  std::set<std::string> ids;
  for (const auto& node : *list) {
    const toml::table* t = node.as_table();
    const std::string where = Where(path, node.source());
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
    if (rule->confidence <= 0 || rule->confidence > 1) {
      return Status::InvalidArgument(where + ": rule '" + *id + "': confidence must be in (0, 1]");
    }
    auto expanded = Expand(*pattern, defines);
    if (!expanded.ok()) return Status::InvalidArgument(where + ": rule '" + *id + "': " + expanded.status().message());
    RE2::Options options;
    options.set_log_errors(false);
    // Rules read as prose: "Ended", "ended" and "ENDED" are the same trigger unless a rule says so.
    options.set_case_sensitive((*t)["case_sensitive"].value_or(false));
    rule->re = std::make_unique<RE2>(*expanded, options);
    if (!rule->re->ok()) {
      return Status::InvalidArgument(where + ": rule '" + *id + "': bad pattern: " + rule->re->error());
    }
    const auto& groups = rule->re->NamedCapturingGroups();
    auto a = groups.find("A"), b = groups.find("B");
    if (a == groups.end() || b == groups.end()) {
      return Status::InvalidArgument(where + ": rule '" + *id + "': pattern must contain both {A} and {B}");
    }
    rule->group_a = a->second;
    rule->group_b = b->second;
    rules->rules_.push_back(std::move(rule));
  }
  return rules;
}

std::vector<EventRules::Match> EventRules::MatchSentence(std::string_view sentence,
                                                        const std::vector<CityMention>& cities) const {
  std::vector<Match> out;
  if (cities.size() < 2) return out;
  // Rewrite the sentence with placeholders, remembering where each rewritten byte came from.
  std::string rewritten;
  // Rewritten byte -> the sentence bytes it stands for: [origin_start, origin_end).
  std::vector<size_t> origin_start, origin_end;
  auto copy_until = [&](size_t& pos, size_t until) {
    for (; pos < until; ++pos) {
      rewritten.push_back(sentence[pos]);
      origin_start.push_back(pos);
      origin_end.push_back(pos + 1);
    }
  };
  size_t pos = 0;
  for (size_t i = 0; i < cities.size(); ++i) {
    const auto& c = cities[i];
    copy_until(pos, c.start);
    for (char ch : Placeholder(i)) {
      rewritten.push_back(ch);
      origin_start.push_back(c.start);
      origin_end.push_back(c.end);
    }
    pos = c.end;
  }
  copy_until(pos, sentence.size());

  std::set<std::tuple<int, size_t, size_t>> seen;
  for (const auto& rule : rules_) {
    const int n = rule->re->NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> groups(n);
    re2::StringPiece input(rewritten);
    if (!rule->re->Match(input, 0, rewritten.size(), RE2::UNANCHORED, groups.data(), n)) continue;
    auto index_of = [&](const re2::StringPiece& g) {
      return static_cast<size_t>(std::stoul(std::string(g.data() + 3, g.size() - 5)));
    };
    size_t a = index_of(groups[rule->group_a]);
    size_t b = index_of(groups[rule->group_b]);
    if (a >= cities.size() || b >= cities.size() || a == b) continue;
    if (cities[a].place.geonameid == cities[b].place.geonameid) continue;
    auto key = std::make_tuple(static_cast<int>(rule->type), std::min(a, b), std::max(a, b));
    if (!seen.insert(key).second) continue;
    size_t mb = groups[0].data() - rewritten.data();
    size_t me = mb + groups[0].size();  // a match holds {A} and {B}, so it is never empty
    out.push_back({rule->type, a, b, origin_start[mb], origin_end[me - 1], rule.get()});
  }
  return out;
}

}  // namespace tw
