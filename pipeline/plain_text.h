// Small text utilities shared by the cleaner's parts: whitespace folding and counting what a
// piece of UTF-8 text holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tw {

struct TextCount {
  uint32_t chars = 0;   // code points that are not white space
  uint32_t commas = 0;  // , ， 、 ،
};

TextCount CountText(std::string_view utf8);

// Appends `text` to `out` with every run of white space (ASCII, no-break and the other Unicode
// spaces) folded into one ASCII space, and zero-width characters dropped. No space is added at
// the start of an empty `out` or after a space already there.
void AppendFolded(std::string& out, std::string_view text);

// `text` without white space at either end.
std::string_view TrimSpaces(std::string_view text);

// `text` folded (see AppendFolded) and trimmed.
std::string FoldSpaces(std::string_view text);

}  // namespace tw
