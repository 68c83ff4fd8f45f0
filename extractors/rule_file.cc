#include "extractors/rule_file.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace tw {

Result<toml::table> ParseRuleFile(const std::string& path) {
  try {
    // toml++ reports errors as exceptions; they stop here and become a Status.
    return toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    if (err.source().begin.line == 0) return Status::IOError(path + ": cannot read rule file: " + std::string(err.description()));
    return Status::InvalidArgument(path + ":" + std::to_string(err.source().begin.line) + ": " + std::string(err.description()));
  }
}

std::string RuleWhere(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line);
}

Result<RuleDefines> ReadRuleDefines(const toml::table& root, const std::string& path) {
  RuleDefines defines;
  if (const toml::table* defs = root["define"].as_table()) {
    for (const auto& [key, value] : *defs) {
      const auto* s = value.as_string();
      if (!s) return Status::InvalidArgument(RuleWhere(path, value) + ": define." + std::string(key.str()) + " must be a string");
      defines[std::string(key.str())] = s->get();
    }
  }
  return defines;
}

namespace {

Result<std::string> Expand(const std::string& pattern, const RuleDefines& defines,
                           const std::function<bool(const std::string&, std::string*)>& special, int depth) {
  if (depth > 16) return Status::InvalidArgument("definitions nest too deeply (a definition uses itself?)");
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      const size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        const std::string name = pattern.substr(i + 1, close - i - 1);
        std::string replacement;
        if (special && special(name, &replacement)) {
          out += replacement;
          i = close + 1;
          continue;
        }
        if (auto it = defines.find(name); it != defines.end()) {
          auto inner = Expand(it->second, defines, special, depth + 1);
          if (!inner.ok()) return inner.status();
          out += "(?:" + inner.value() + ")";
          i = close + 1;
          continue;
        }
        const bool looks_like_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
          return std::isupper(static_cast<unsigned char>(c)) || c == '_';
        });
        if (looks_like_name) return Status::InvalidArgument("unknown definition {" + name + "}");
      }
    }
    out.push_back(pattern[i]);
    ++i;
  }
  return out;
}

}  // namespace

Result<std::string> ExpandRuleDefines(const std::string& pattern, const RuleDefines& defines,
                                      const std::function<bool(const std::string&, std::string*)>& special) {
  return Expand(pattern, defines, special, 0);
}

Result<std::unique_ptr<RE2>> CompileRulePattern(const std::string& expanded, bool case_sensitive) {
  // RE2's automata cache their states within this much memory, taken only as states are built.
  constexpr int64_t kRulePatternMemory = int64_t{16} << 20;
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kRulePatternMemory);
  // Rules read as prose: "Ended", "ended" and "ENDED" are the same trigger unless a rule says so.
  options.set_case_sensitive(case_sensitive);
  auto re = std::make_unique<RE2>(expanded, options);
  if (!re->ok()) return Status::InvalidArgument("bad pattern: " + re->error());
  return re;
}

std::string LoosenRepetitions(const std::string& pattern) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) {
      out.push_back(pattern[i]);
      out.push_back(pattern[++i]);
      continue;
    }
    if (pattern.compare(i, 3, "{0,") == 0) {
      size_t j = i + 3;
      while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j]))) ++j;
      if (j > i + 3 && j < pattern.size() && pattern[j] == '}') {
        out.push_back('*');
        i = j;
        continue;
      }
    }
    out.push_back(pattern[i]);
  }
  return out;
}

namespace {

// The "{0,N}" at `at`: N and the index just past it, or nothing.
std::optional<std::pair<size_t, size_t>> BoundAt(const std::string& pattern, size_t at) {
  if (pattern.compare(at, 3, "{0,") != 0) return std::nullopt;
  size_t j = at + 3;
  size_t bound = 0;
  while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j])) && bound < 100000) {
    bound = bound * 10 + static_cast<size_t>(pattern[j] - '0');
    ++j;
  }
  if (j == at + 3 || j >= pattern.size() || pattern[j] != '}') return std::nullopt;
  return std::make_pair(bound, j + 1);
}

// The index just past the character class that opens at `open` ('['), or npos.
size_t ClassEnd(const std::string& pattern, size_t open) {
  size_t j = open + 1;
  if (j < pattern.size() && pattern[j] == '^') ++j;
  if (j < pattern.size() && pattern[j] == ']') ++j;  // a leading ']' is a member
  while (j < pattern.size()) {
    if (pattern[j] == '\\') {
      j += 2;
    } else if (pattern.compare(j, 2, "[:") == 0) {
      const size_t close = pattern.find(":]", j + 2);
      if (close == std::string::npos) return std::string::npos;
      j = close + 2;
    } else if (pattern[j] == ']') {
      return j + 1;
    } else {
      ++j;
    }
  }
  return std::string::npos;
}

}  // namespace

bool OpensWithGroup(const std::string& pattern) {
  if (pattern.empty() || pattern[0] != '(') return false;
  int depth = 0;
  bool first_closed = false;
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '[') {
      i = ClassEnd(pattern, i);
      if (i == std::string::npos) return false;
    } else if (c == '(') {
      ++depth;
      ++i;
    } else if (c == ')') {
      if (--depth < 0) return false;
      ++i;
      if (depth == 0 && !first_closed) {
        first_closed = true;
        if (i < pattern.size() && (pattern[i] == '?' || pattern[i] == '*' || pattern[i] == '{')) return false;
      }
    } else if (c == '|' && depth == 0) {
      return false;
    } else {
      ++i;
    }
  }
  return first_closed && depth == 0;
}

std::optional<CapturedGaps> CaptureGaps(const std::string& pattern) {
  CapturedGaps out;
  std::vector<bool> open_groups;  // per open parenthesis: whether it holds a captured gap
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\\') {
      out.pattern.append(pattern, i, 2);
      i += 2;
    } else if (c == '[') {
      const size_t end = ClassEnd(pattern, i);
      if (end == std::string::npos) return std::nullopt;
      const auto bound = BoundAt(pattern, end);
      if (!bound) {
        out.pattern.append(pattern, i, end - i);
        i = end;
        continue;
      }
      std::string name = "tw_gap_" + std::to_string(out.gaps.size());
      out.pattern += "(?P<" + name + ">";
      out.pattern.append(pattern, i, end - i);
      out.pattern += '*';
      i = bound->second;
      if (i < pattern.size() && pattern[i] == '?') {  // lazy stays lazy
        out.pattern += '?';
        ++i;
      }
      out.pattern += ')';
      out.gaps.emplace_back(std::move(name), bound->first);
      std::fill(open_groups.begin(), open_groups.end(), true);
    } else if (c == '(') {
      open_groups.push_back(false);
      out.pattern += c;
      ++i;
    } else if (c == ')') {
      if (open_groups.empty()) return std::nullopt;
      const bool holds_gap = open_groups.back();
      open_groups.pop_back();
      out.pattern += c;
      ++i;
      // A group repeated more than once would keep only its last round's gap.
      if (holds_gap && i < pattern.size() && (pattern[i] == '*' || pattern[i] == '+' || pattern[i] == '{')) return std::nullopt;
    } else {
      out.pattern += c;
      ++i;
    }
  }
  if (!open_groups.empty()) return std::nullopt;
  return out;
}

}  // namespace tw
