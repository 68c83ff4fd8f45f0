// The text layer: sentence and word boundaries (ICU) and folding for lookups.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tw {

struct TextSpan {
  size_t start = 0, end = 0;  // bytes
};

// Sentences of UTF-8 text, by ICU's English sentence rules with the standard abbreviation
// suppressions ("Mr.", "U.S." do not end a sentence). Paragraph breaks always end a sentence.
// Offsets are bytes into `text`; leading and trailing whitespace is excluded.
std::vector<TextSpan> SplitSentences(std::string_view text);

// Word tokens (letters/digits runs, as ICU word boundaries give them), bytes into `text`.
std::vector<TextSpan> SplitWords(std::string_view text);

// Lookup key: NFD, combining marks removed, case-folded, NFC. "Zürich", "ZURICH" -> "zurich".
std::string FoldForLookup(std::string_view text);

}  // namespace tw
