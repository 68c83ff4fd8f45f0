// The text layer: sentence boundaries (ICU plus the abbreviation rules in rules/text.toml), word
// tokens, and folding for lookups. Offsets are always bytes into the UTF-8 text.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "pipeline/status.h"

namespace tw {

struct TextSpan {
  size_t start = 0, end = 0;  // bytes
};

// A word: a maximal run of letters, digits and combining marks.
struct Token {
  size_t start = 0, end = 0;  // bytes
  bool upper_initial = false; // first letter is a capital (or title-case) letter
  bool all_upper = false;     // every letter is a capital and there are at least two
  bool numeric = false;       // digits only
};

// Sentences of UTF-8 text, by ICU's English sentence rules with the standard abbreviation
// suppressions ("Mr.", "U.S." do not end a sentence). Paragraph breaks always end a sentence.
// Offsets are bytes into `text`; leading and trailing whitespace is excluded.
std::vector<TextSpan> SplitSentences(std::string_view text);

// Sentence splitting with the abbreviations of a rule file on top of ICU's rules: a sentence that
// ICU ends after "Gov." or "St." goes on; one that ends after "U.S." goes on unless the next word
// usually opens a sentence ("The", "He").
class SentenceSplitter {
 public:
  // Reads [abbreviations] from a TOML file (rules/text.toml). Errors are "FILE:LINE: message".
  static Result<std::unique_ptr<SentenceSplitter>> Load(const std::string& path);
  // No extra abbreviations: the same as SplitSentences.
  SentenceSplitter() = default;

  std::vector<TextSpan> Split(std::string_view text) const;

 private:
  bool KeepsGoing(std::string_view text, const TextSpan& sentence, const TextSpan& next) const;

  std::unordered_set<std::string> titles_;   // never end a sentence ("Mr.", "Gov.", "St.")
  std::unordered_set<std::string> names_;    // end one only before an opener ("U.S.", "B.C.")
  std::unordered_set<std::string> openers_;  // words that usually open a sentence
  std::unordered_set<std::string> before_numbers_;  // never end one before a number ("Oct.")
};

// `text` with Unicode spaces (no-break, thin, em...) written as ASCII spaces, byte for byte (a
// two-byte U+00A0 becomes two spaces), so offsets into the result are offsets into `text`.
std::string WithAsciiSpaces(std::string_view text);

// Word tokens of `text` (letters, digits and marks; everything else separates), in order.
std::vector<Token> Tokenize(std::string_view text);

// Word tokens (letters/digits runs, as ICU word boundaries give them), bytes into `text`.
std::vector<TextSpan> SplitWords(std::string_view text);

// Lookup key: NFD, combining marks removed, case-folded, NFC. "Zürich", "ZURICH" -> "zurich".
std::string FoldForLookup(std::string_view text);

// Name key for gazetteer lookups: folded, hyphens as spaces, periods and apostrophes dropped,
// spaces collapsed. "St. Petersburg" and "st petersburg", "Winston-Salem" and "Winston Salem",
// "L'Aquila" and "LAquila" meet.
std::string NameKey(std::string_view name);

// NameKey in pieces: appends `folded` (FoldForLookup of the next piece of a name) to the key being
// built in `key`; the key is done once its trailing space is trimmed (TrimNameKey). Folding never
// reaches from a word across the punctuation or space after it, so a name's key is that of its
// words and the gaps between them, each folded on its own: a word met many times is folded once.
void AppendFoldedToNameKey(std::string_view folded, std::string* key);
void TrimNameKey(std::string* key);

}  // namespace tw
