#include "extractors/text.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <cctype>
#include <memory>

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
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
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

}  // namespace tw
