#include "pipeline/language_guess.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tw {

namespace {

// Decodes the code point at `p` (valid UTF-8 assumed, as the cleaner's text is); sets `len`.
uint32_t CodePoint(const unsigned char* p, size_t avail, size_t* len) {
  if (p[0] < 0x80 || avail < 2) { *len = 1; return p[0]; }
  if (p[0] < 0xE0) { *len = 2; return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu); }
  if (p[0] < 0xF0 || avail < 4) {
    *len = std::min<size_t>(3, avail);
    return avail < 3 ? 0 : ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  }
  *len = 4;
  return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

enum Script { kLatin, kCyrillic, kArabic, kGreek, kHebrew, kThai, kDevanagari, kHangul, kKana, kHan, kScripts };

int ScriptOf(uint32_t cp) {
  if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F)) return kLatin;
  if (cp >= 0x400 && cp <= 0x4FF) return kCyrillic;
  if (cp >= 0x600 && cp <= 0x6FF) return kArabic;
  if (cp >= 0x370 && cp <= 0x3FF) return kGreek;
  if (cp >= 0x590 && cp <= 0x5FF) return kHebrew;
  if (cp >= 0xE00 && cp <= 0xE7F) return kThai;
  if (cp >= 0x900 && cp <= 0x97F) return kDevanagari;
  if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF)) return kHangul;
  if (cp >= 0x3040 && cp <= 0x30FF) return kKana;
  if (cp >= 0x4E00 && cp <= 0x9FFF) return kHan;
  return -1;
}

// The most frequent words of each language (lowercase).
const std::vector<std::pair<std::string_view, std::vector<std::string_view>>>& Stopwords() {
  static const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> kLists = {
      {"en", {"the", "and", "of", "to", "in", "is", "that", "with", "for", "was", "on", "it", "as", "are"}},
      {"de", {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "zu", "sich", "des", "auf", "ein"}},
      {"fr", {"le", "la", "les", "et", "des", "est", "une", "du", "dans", "pour", "que", "qui", "sur", "au"}},
      {"es", {"el", "la", "los", "las", "y", "del", "que", "en", "por", "con", "una", "para", "se", "es"}},
      {"it", {"il", "di", "che", "e", "la", "per", "non", "della", "sono", "gli", "del", "una", "nel", "alla"}},
      {"nl", {"de", "het", "een", "van", "en", "niet", "zijn", "met", "voor", "op", "dat", "ook", "bij", "werd"}},
      {"pt", {"o", "a", "os", "as", "e", "do", "da", "dos", "das", "que", "em", "para", "com", "não", "uma"}},
      {"sv", {"och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "inte"}},
      {"da", {"og", "at", "det", "som", "en", "på", "er", "af", "for", "med", "til", "den", "har", "ikke"}},
      {"no", {"og", "at", "det", "som", "en", "på", "er", "av", "for", "med", "til", "den", "har", "ikke", "ble"}},
      {"pl", {"i", "w", "na", "z", "do", "się", "nie", "że", "to", "jest", "o", "od", "po", "jak"}},
      {"cs", {"a", "v", "se", "na", "je", "že", "s", "z", "do", "o", "to", "jsou", "které", "pro"}},
      {"tr", {"ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "olan", "gibi", "en"}},
      {"id", {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada"}},
      {"ru", {"и", "в", "не", "на", "что", "с", "по", "это", "как", "из", "для", "от", "он", "его"}},
      {"uk", {"і", "в", "не", "на", "що", "з", "у", "та", "до", "це", "як", "від", "для", "його"}},
      {"ar", {"في", "من", "على", "إلى", "أن", "عن", "مع", "هذا", "التي", "الذي", "و", "كان"}},
      {"fa", {"و", "در", "به", "از", "که", "این", "را", "با", "است", "برای", "آن", "می"}},
  };
  return kLists;
}

}  // namespace

std::string GuessLanguage(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = std::min<size_t>(text.size(), 20000);
  size_t scripts[kScripts] = {};
  std::unordered_map<std::string, int> words;
  std::string word;
  size_t counted = 0;
  for (size_t i = 0; i <= n;) {
    size_t len = 1;
    const uint32_t cp = i < n ? CodePoint(p + i, n - i, &len) : ' ';
    const int script = ScriptOf(cp);
    if (script >= 0) ++scripts[script];
    const bool letter = script >= 0 || (cp >= 0x300 && cp <= 0x36F);
    if (letter) {
      if (cp < 0x80) word.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp));
      else word.append(text.substr(i, len));
    } else if (!word.empty()) {
      ++words[word];
      ++counted;
      word.clear();
    }
    i += len;
  }
  const size_t* top = std::max_element(scripts, scripts + kScripts);
  if (*top < 20) return {};
  switch (top - scripts) {
    case kKana: return "ja";
    case kHan: return scripts[kKana] * 20 > scripts[kHan] ? "ja" : "zh";
    case kHangul: return "ko";
    case kGreek: return "el";
    case kHebrew: return "he";
    case kThai: return "th";
    case kDevanagari: return "hi";
    default: break;
  }
  std::string best;
  int best_hits = 0;
  for (const auto& [lang, list] : Stopwords()) {
    int hits = 0;
    for (const auto& w : list) {
      auto it = words.find(std::string(w));
      if (it != words.end()) hits += it->second;
    }
    if (hits > best_hits) {
      best_hits = hits;
      best = lang;
    }
  }
  return counted >= 20 && best_hits * 10 >= static_cast<int>(counted) ? best : std::string();
}

}  // namespace tw
