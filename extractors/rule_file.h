// Reading the TOML rule files of rules/: parse errors and wrong types become "FILE:LINE: message".
#pragma once

#include <toml++/toml.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/status.h"

namespace re2 {
class RE2;
}

namespace tw {

// Parses a TOML file. A file that cannot be read is an IOError naming it; a syntax error is an
// InvalidArgument "FILE:LINE: what is wrong".
Result<toml::table> ParseRuleFile(const std::string& path);

// "FILE:LINE" of a node, for messages.
std::string RuleWhere(const std::string& path, const toml::node& node);

// Calls fn(std::string) for each string in the array `node`. A missing node is fine when
// `required` is false; anything but an array of strings is an error naming `what` and the line.
template <typename Fn>
Status ForEachRuleString(const toml::node* node, const std::string& path, const std::string& what, bool required, Fn&& fn) {
  if (node == nullptr) {
    return required ? Status::InvalidArgument(path + ": missing " + what) : Status::OK();
  }
  const toml::array* list = node->as_array();
  if (list == nullptr) return Status::InvalidArgument(RuleWhere(path, *node) + ": " + what + " must be a list of strings");
  for (const auto& item : *list) {
    const auto* s = item.as_string();
    if (s == nullptr) return Status::InvalidArgument(RuleWhere(path, item) + ": " + what + " must hold strings only");
    fn(s->get());
  }
  return Status::OK();
}

// The [define] table of a rule file: NAME -> pattern text.
using RuleDefines = std::map<std::string, std::string>;
Result<RuleDefines> ReadRuleDefines(const toml::table& root, const std::string& path);

// Replaces every {NAME} in `pattern` with its definition, itself expanded, as a non-capturing
// group. `special` may claim a name first (the event rules' {A} and {B}): it returns true and sets
// the replacement. An unknown all-capitals name is an error; other braces ({1,3}) stay.
Result<std::string> ExpandRuleDefines(const std::string& pattern, const RuleDefines& defines,
                                      const std::function<bool(const std::string&, std::string*)>& special = nullptr);

// A rule pattern, definitions already expanded, compiled as every rule file's patterns are: its
// automaton's memory bounded (16 MB), case-insensitive unless `case_sensitive`, and RE2's
// complaint as the error ("bad pattern: ...") rather than a log line.
Result<std::unique_ptr<re2::RE2>> CompileRulePattern(const std::string& expanded, bool case_sensitive);

// `pattern` with every bounded repetition from zero ("{0,80}") made unbounded ("*"): a pattern that
// matches wherever `pattern` does, for the combined RE2::Set that only says which rules can fire.
// Bounded repetitions make an automaton count, state by state; the combined one then never stops
// building states. Escaped braces ("\\{") are left alone.
std::string LoosenRepetitions(const std::string& pattern);

// `pattern` with every character-class gap "[...]{0,N}" (greedy or lazy) made unbounded and captured
// in a named group, with the bound N each group must keep. Where every gap of a match keeps its
// bound, the match and its groups are those of `pattern` (a backtracking order with fewer branches
// reaches the same first match); where one does not, `pattern` itself must be matched. A bounded
// automaton counts its positions and builds far more states than this one, so this one is the
// cheaper first try. Nothing when a gap sits inside a repeated group (a capture would hold only its
// last round).
struct CapturedGaps {
  std::string pattern;
  std::vector<std::pair<std::string, size_t>> gaps;  // group name, bound
};
std::optional<CapturedGaps> CaptureGaps(const std::string& pattern);

// Whether every match of `pattern` starts with what its first group matches: the pattern opens
// with a group that is neither optional nor repeated from zero, and has no alternative at the top
// level ("(a)b|c" may start with "c").
bool OpensWithGroup(const std::string& pattern);

}  // namespace tw
