// ASCII-only case folding and trimming, for protocol text (URLs, headers, robots.txt), where the
// rules are defined on ASCII and the locale must not matter.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace tw {

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace tw
