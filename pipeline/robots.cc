#include "pipeline/robots.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "pipeline/ascii.h"
#include "pipeline/url.h"

namespace tw {

namespace {


// Does `pattern` match `path` from its start? Without a final '$' a match of the whole pattern
// against a prefix of the path is enough. '*' matches any run of characters. Greedy with one
// backtrack point, so it runs in bounded time and without recursion whatever the input.
bool PatternMatches(std::string_view pattern, std::string_view path) {
  const bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  size_t p = 0, s = 0;
  size_t star = std::string_view::npos, mark = 0;
  while (s < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
    } else if (p == pattern.size() && !anchored) {
      return true;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

struct Group {
  std::vector<std::string> agents;  // lowercase product tokens, or "*"
  std::vector<std::pair<bool, std::string>> rules;
  std::optional<double> crawl_delay;
};

}  // namespace

std::string ProductToken(std::string_view user_agent) {
  std::string token;
  for (char c : TrimAsciiSpace(user_agent)) {
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '-' && c != '_') break;
    token.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return token;
}

RobotsRules RobotsRules::DisallowAll() {
  RobotsRules r;
  r.rules_.push_back({false, "/"});
  return r;
}

RobotsRules RobotsRules::Parse(std::string_view body, std::string_view product_token) {
  if (body.size() > kMaxBytes) body = body.substr(0, kMaxBytes);
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);

  RobotsRules out;
  std::vector<Group> groups;
  bool in_agent_lines = false;  // consecutive user-agent lines name one group
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    const size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = AsciiLower(TrimAsciiSpace(line.substr(0, colon)));
    const std::string_view value = TrimAsciiSpace(line.substr(colon + 1));

    if (key == "user-agent") {
      if (!in_agent_lines) groups.emplace_back();
      in_agent_lines = true;
      groups.back().agents.push_back(value.substr(0, 1) == "*" ? std::string("*") : ProductToken(value));
      continue;
    }
    if (key == "sitemap") {  // not part of any group
      if (!value.empty()) out.sitemaps_.emplace_back(value);
      continue;
    }
    if (key != "allow" && key != "disallow" && key != "crawl-delay") continue;
    in_agent_lines = false;
    if (groups.empty()) continue;  // a rule before any user-agent line belongs to no group
    if (key == "crawl-delay") {
      char* parsed_end = nullptr;
      const std::string text(value);
      const double seconds = std::strtod(text.c_str(), &parsed_end);
      if (parsed_end != text.c_str() && seconds >= 0 && !groups.back().crawl_delay) {
        groups.back().crawl_delay = std::min(seconds, 86400.0);
      }
    } else if (!value.empty()) {  // "Disallow:" with no path disallows nothing
      groups.back().rules.emplace_back(key == "allow", NormalizePercentEncoding(value));
    }
  }

  // The groups naming our product token, all of them combined; failing that, the '*' groups.
  const std::string token = AsciiLower(product_token);
  auto names = [](const Group& g, const std::string& name) {
    return std::find(g.agents.begin(), g.agents.end(), name) != g.agents.end();
  };
  const bool ours = !token.empty() && std::any_of(groups.begin(), groups.end(), [&](const Group& g) { return names(g, token); });
  const std::string chosen = ours ? token : "*";
  for (const Group& g : groups) {
    if (!names(g, chosen)) continue;
    for (const auto& [allow, pattern] : g.rules) out.rules_.push_back({allow, pattern});
    if (!out.crawl_delay_ && g.crawl_delay) out.crawl_delay_ = g.crawl_delay;
  }
  return out;
}

bool RobotsRules::Allowed(std::string_view path_and_query) const {
  if (path_and_query == "/robots.txt") return true;  // RFC 9309 section 2.2.2: always allowed
  const std::string path = NormalizePercentEncoding(path_and_query.empty() ? std::string_view("/") : path_and_query);
  size_t best_length = 0;
  bool best_allow = true;
  bool matched = false;
  for (const Rule& rule : rules_) {
    if (!PatternMatches(rule.pattern, path)) continue;
    const size_t length = rule.pattern.size();
    if (!matched || length > best_length || (length == best_length && rule.allow)) {
      best_length = length;
      best_allow = rule.allow;
      matched = true;
    }
  }
  return !matched || best_allow;
}

}  // namespace tw
