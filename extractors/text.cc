#include "extractors/text.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <cctype>
#include <memory>

#include "extractors/rule_file.h"

namespace tw {

namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Runs an ICU break iterator over UTF-8 text; boundaries come back as byte offsets because the
// UText is opened over UTF-8 (native indexing).
template <typename Fn>
void ForEachBoundaryPair(icu::BreakIterator* it, std::string_view text, Fn&& fn) {
  UErrorCode err = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &err);
  if (U_FAILURE(err)) return;
  it->setText(ut, err);
  if (U_SUCCESS(err)) {
    int32_t start = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
      fn(static_cast<size_t>(start), static_cast<size_t>(end), it->getRuleStatus());
    }
  }
  utext_close(ut);
}

std::unique_ptr<icu::BreakIterator> SentenceIterator() {
  UErrorCode err = U_ZERO_ERROR;
  // "ss=standard" turns on ICU's abbreviation suppressions (Mr., Dr., U.S., ...).
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), err));
  if (U_FAILURE(err)) it.reset();
  return it;
}

}  // namespace

std::vector<TextSpan> SplitSentences(std::string_view text) {
  std::vector<TextSpan> out;
  // ICU iterators are not thread-safe; one per thread, reused.
  thread_local std::unique_ptr<icu::BreakIterator> it = SentenceIterator();
  auto add = [&](size_t b, size_t e) {
    while (b < e && IsSpace(text[b])) ++b;
    while (e > b && IsSpace(text[e - 1])) --e;
    if (e > b) out.push_back({b, e});
  };
  // Split paragraphs first: a paragraph break always ends a sentence.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t brk = text.find("\n\n", pos);
    size_t para_end = brk == std::string_view::npos ? text.size() : brk;
    std::string_view para = text.substr(pos, para_end - pos);
    if (it) {
      ForEachBoundaryPair(it.get(), para, [&](size_t b, size_t e, int32_t) { add(pos + b, pos + e); });
    } else {
      add(pos, para_end);
    }
    pos = para_end + 2;
  }
  return out;
}

std::vector<TextSpan> SplitWords(std::string_view text) {
  std::vector<TextSpan> out;
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> w(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), err));
    if (U_FAILURE(err)) w.reset();
    return w;
  }();
  if (!it) return out;
  ForEachBoundaryPair(it.get(), text, [&](size_t b, size_t e, int32_t status) {
    // UBRK_WORD_NONE covers spaces and punctuation.
    if (status >= UBRK_WORD_NONE_LIMIT) out.push_back({b, e});
  });
  return out;
}

std::string FoldForLookup(std::string_view text) {
  // ASCII fast path: lowercase only.
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    std::string out(text);
    for (auto& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // std::tolower's "C" locale, without a call per byte
    }
    return out;
  }
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) return std::string(text);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString decomposed = nfd->normalize(s, err);
  icu::UnicodeString stripped;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) stripped.append(c);
    i += U16_LENGTH(c);
  }
  stripped.foldCase();
  icu::UnicodeString composed = nfc->normalize(stripped, err);
  std::string out;
  composed.toUTF8String(out);
  return out;
}

namespace {

// The last whitespace-separated chunk of `s`, without opening brackets or quotes.
std::string_view LastChunk(std::string_view s) {
  size_t sp = s.find_last_of(" \t\n");
  std::string_view last = sp == std::string_view::npos ? s : s.substr(sp + 1);
  while (!last.empty() && (last.front() == '(' || last.front() == '"' || last.front() == '[')) last.remove_prefix(1);
  return last;
}

// The first word of `s` (letters only), without opening quotes or brackets.
std::string_view FirstWord(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && !std::isalnum(static_cast<unsigned char>(s[b])) && static_cast<unsigned char>(s[b]) < 0x80) ++b;
  size_t e = b;
  while (e < s.size() && (std::isalnum(static_cast<unsigned char>(s[e])) || static_cast<unsigned char>(s[e]) >= 0x80)) ++e;
  return s.substr(b, e - b);
}

bool IsInitial(std::string_view chunk) {
  // "F." in "John F. Kennedy".
  return chunk.size() == 2 && std::isupper(static_cast<unsigned char>(chunk[0])) && chunk[1] == '.';
}

}  // namespace

Result<std::unique_ptr<SentenceSplitter>> SentenceSplitter::Load(const std::string& path) {
  auto root = ParseRuleFile(path);
  if (!root.ok()) return root.status();
  auto splitter = std::make_unique<SentenceSplitter>();
  struct List {
    const char* key;
    std::unordered_set<std::string>* to;
  };
  for (const List& list : {List{"titles", &splitter->titles_}, List{"names", &splitter->names_}, List{"openers", &splitter->openers_},
                          List{"before_numbers", &splitter->before_numbers_}}) {
    Status st = ForEachRuleString(root.value().at_path(std::string("abbreviations.") + list.key).node(), path,
                                  std::string("abbreviations.") + list.key, false,
                                  [&](const std::string& word) { list.to->insert(word); });
    if (!st.ok()) return st;
  }
  return splitter;
}

namespace {

// Whether `line` opens with a bullet: "- ", "* ", "• ", "– ", "· ".
bool OpensWithBullet(std::string_view line) {
  for (std::string_view mark : {"- ", "* ", "\u2022 ", "\u2013 ", "\u00b7 "}) {
    if (line.starts_with(mark)) return true;
  }
  return false;
}

}  // namespace

bool SentenceSplitter::KeepsGoing(std::string_view text, const TextSpan& sentence, const TextSpan& next) const {
  const std::string_view said = text.substr(sentence.start, sentence.end - sentence.start);
  // Bullet lines after a colon are the colon's objects, one sentence with it, blank lines or not:
  // "Calgary's sister cities are:\n\n- Québec City, Quebec, Canada\n- Jaipur, Rajasthan, India".
  if (OpensWithBullet(text.substr(next.start, next.end - next.start))) {
    if (said.ends_with(':')) return true;
    const size_t line = said.find_last_of('\n');
    if (line != std::string_view::npos && OpensWithBullet(said.substr(line + 1)) && said.find(":\n") != std::string_view::npos) {
      return true;
    }
  }
  // Only within a paragraph: a blank line always ends a sentence.
  if (text.substr(sentence.end, next.start - sentence.end).find("\n\n") != std::string_view::npos) return false;
  const std::string last(LastChunk(text.substr(sentence.start, sentence.end - sentence.start)));
  if (titles_.count(last) > 0) return true;
  const std::string_view next_text = text.substr(next.start, next.end - next.start);
  const std::string opener(FirstWord(next_text));
  if (before_numbers_.count(last) > 0 && !opener.empty() && std::isdigit(static_cast<unsigned char>(opener[0]))) return true;
  if (names_.count(last) > 0 || IsInitial(last)) return openers_.count(opener) == 0;
  return false;
}

std::vector<TextSpan> SentenceSplitter::Split(std::string_view text) const {
  std::vector<TextSpan> icu = SplitSentences(text);
  if (titles_.empty() && names_.empty() && before_numbers_.empty()) return icu;
  std::vector<TextSpan> out;
  for (const TextSpan& s : icu) {
    if (!out.empty() && KeepsGoing(text, out.back(), s)) {
      out.back().end = s.end;
    } else {
      out.push_back(s);
    }
  }
  return out;
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> out;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t i = 0;
  Token cur;
  bool in_token = false;
  int letters = 0, uppers = 0;
  auto finish = [&](int32_t end) {
    cur.end = static_cast<size_t>(end);
    cur.all_upper = letters >= 2 && uppers == letters;
    out.push_back(cur);
    in_token = false;
  };
  while (i < n) {
    const int32_t at = i;
    UChar32 c;
    bool word = false, upper = false, letter = false, digit = false;
    if (s[i] < 0x80) {
      c = s[i++];
      digit = c >= '0' && c <= '9';
      upper = c >= 'A' && c <= 'Z';
      letter = upper || (c >= 'a' && c <= 'z');
      word = digit || letter;
    } else {
      U8_NEXT(s, i, n, c);
      if (c < 0) continue;  // invalid UTF-8: a separator
      const int8_t type = u_charType(c);
      digit = type == U_DECIMAL_DIGIT_NUMBER;
      letter = u_isalpha(c) != 0;
      upper = u_isupper(c) || u_istitle(c);
      // Combining marks continue a word ("e" + U+0301 from decomposed text).
      word = letter || digit || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
    }
    if (!word) {
      if (in_token) finish(at);
      continue;
    }
    if (!in_token) {
      cur = Token{};
      cur.start = static_cast<size_t>(at);
      cur.upper_initial = upper;
      cur.numeric = true;
      letters = uppers = 0;
      in_token = true;
    }
    if (!digit) cur.numeric = false;
    if (letter) ++letters;
    if (upper) ++uppers;
  }
  if (in_token) finish(n);
  return out;
}

std::string WithAsciiSpaces(std::string_view text) {
  std::string out(text);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    const auto c0 = static_cast<unsigned char>(out[i]), c1 = static_cast<unsigned char>(out[i + 1]);
    if (c0 == 0xC2 && c1 == 0xA0) {  // U+00A0
      out[i] = out[i + 1] = ' ';
      ++i;
    } else if (c0 == 0xE2 && i + 2 < out.size()) {
      const auto c2 = static_cast<unsigned char>(out[i + 2]);
      // U+2000..U+200A (en, em, thin, hair spaces...), U+202F (narrow no-break), U+205F.
      if ((c1 == 0x80 && (c2 <= 0x8A || c2 == 0xAF)) || (c1 == 0x81 && c2 == 0x9F)) {
        out[i] = out[i + 1] = out[i + 2] = ' ';
        i += 2;
      }
    }
  }
  return out;
}

void AppendFoldedToNameKey(std::string_view folded, std::string* key) {
  std::string& out = *key;
  auto space = [&] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  for (size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    if (c == '.' || c == '\'') continue;
    if (c == '-' || c == ' ' || c == '\t' || c == '\n') {
      space();
      continue;
    }
    // U+2019 and U+2018 (curly apostrophes) drop; U+2010..U+2013 (hyphens, dashes) are spaces.
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < folded.size() && static_cast<unsigned char>(folded[i + 1]) == 0x80) {
      const auto third = static_cast<unsigned char>(folded[i + 2]);
      if (third == 0x98 || third == 0x99) {
        i += 2;
        continue;
      }
      if (third >= 0x90 && third <= 0x93) {
        i += 2;
        space();
        continue;
      }
    }
    out.push_back(c);
  }
}

void TrimNameKey(std::string* key) {
  while (!key->empty() && key->back() == ' ') key->pop_back();
}

std::string NameKey(std::string_view name) {
  const std::string folded = FoldForLookup(name);
  std::string out;
  out.reserve(folded.size());
  AppendFoldedToNameKey(folded, &out);
  TrimNameKey(&out);
  return out;
}

}  // namespace tw
