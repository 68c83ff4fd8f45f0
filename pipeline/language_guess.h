// A cheap language guess for text whose page declares none: the writing system first (kana is
// Japanese, hangul Korean, Han without kana Chinese, Thai, Greek, Hebrew...), then, for Latin,
// Cyrillic and Arabic script, counts of each language's most frequent words.
#pragma once

#include <string>
#include <string_view>

namespace tw {

// An ISO 639-1 code ("en", "de", "ja"), or empty when the text is too short or unclear.
std::string GuessLanguage(std::string_view utf8_text);

}  // namespace tw
