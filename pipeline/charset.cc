#include "pipeline/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>
#include <utility>

namespace tw {

namespace {

// Length of the valid UTF-8 sequence at `p` (1..4), or 0 if invalid.
size_t ValidSequenceLength(const unsigned char* p, size_t avail) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned min;
  unsigned cp;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
  else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
  else return 0;
  if (avail < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// How the bytes fare as UTF-8: valid multi-byte sequences and invalid bytes.
struct Utf8Profile {
  size_t multibyte = 0;
  size_t invalid = 0;
};

Utf8Profile ProfileUtf8(const std::string& bytes) {
  Utf8Profile profile;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    if (p[i] < 0x80) { ++i; continue; }
    const size_t len = ValidSequenceLength(p + i, n - i);
    if (len == 0) {
      ++profile.invalid;
      ++i;
    } else {
      ++profile.multibyte;
      i += len;
    }
  }
  return profile;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A label as pages write it ("UTF8", " 'iso-8859-1' ", "Shift-JIS") to the name we decode with,
// following the WHATWG encoding standard where it differs from the label's letter; empty when
// the label names no text encoding.
std::string CanonicalCharset(std::string_view label) {
  std::string name;
  for (char c : label) {
    if (c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c))) continue;
    name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (name.empty()) return {};
  // Label -> the name we decode with (one row per label: a flat table has no lifetime traps).
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"utf-8", "UTF-8"}, {"utf8", "UTF-8"}, {"unicode-1-1-utf-8", "UTF-8"}, {"x-unicode20utf8", "UTF-8"},
      {"iso-8859-1", "windows-1252"}, {"iso8859-1", "windows-1252"}, {"iso_8859-1", "windows-1252"},
      {"iso_8859-1:1987", "windows-1252"}, {"latin1", "windows-1252"}, {"l1", "windows-1252"},
      {"ascii", "windows-1252"}, {"us-ascii", "windows-1252"}, {"ansi_x3.4-1968", "windows-1252"},
      {"cp1252", "windows-1252"}, {"windows-1252", "windows-1252"}, {"x-cp1252", "windows-1252"},
      {"cp819", "windows-1252"}, {"ibm819", "windows-1252"}, {"iso-ir-100", "windows-1252"},
      {"csisolatin1", "windows-1252"},
      {"iso-8859-9", "windows-1254"}, {"iso8859-9", "windows-1254"}, {"latin5", "windows-1254"},
      {"windows-1254", "windows-1254"}, {"cp1254", "windows-1254"},
      {"iso-8859-11", "windows-874"}, {"tis-620", "windows-874"}, {"windows-874", "windows-874"},
      {"gb2312", "GB18030"}, {"gbk", "GB18030"}, {"x-gbk", "GB18030"}, {"cp936", "GB18030"}, {"chinese", "GB18030"},
      {"csgb2312", "GB18030"}, {"gb_2312-80", "GB18030"}, {"gb_2312", "GB18030"}, {"gb18030", "GB18030"},
      {"big5", "Big5-HKSCS"}, {"big5-hkscs", "Big5-HKSCS"}, {"cn-big5", "Big5-HKSCS"}, {"x-x-big5", "Big5-HKSCS"},
      {"shift_jis", "Shift_JIS"}, {"shift-jis", "Shift_JIS"}, {"sjis", "Shift_JIS"}, {"x-sjis", "Shift_JIS"},
      {"ms_kanji", "Shift_JIS"}, {"windows-31j", "Shift_JIS"}, {"ms932", "Shift_JIS"}, {"csshiftjis", "Shift_JIS"},
      {"euc-kr", "windows-949"}, {"ks_c_5601-1987", "windows-949"}, {"windows-949", "windows-949"},
      {"cseuckr", "windows-949"}, {"korean", "windows-949"},
      {"euc-jp", "EUC-JP"}, {"x-euc-jp", "EUC-JP"},
      {"utf-16", "UTF-16LE"}, {"utf-16le", "UTF-16LE"}, {"utf-16be", "UTF-16BE"},
  };
  for (const auto& [alias, canonical] : kAliases) {
    if (alias == name) return std::string(canonical);
  }
  return name;
}

bool IsUtf8(const std::string& charset) { return charset == "UTF-8"; }
bool IsWide(const std::string& charset) { return charset.rfind("UTF-16", 0) == 0 || charset.rfind("UTF-32", 0) == 0; }

// The charset named by <meta charset=...> or <meta http-equiv content="...; charset=..."> in the
// first 16 KiB (pages put it after long inline scripts), or empty.
std::string MetaCharset(const std::string& bytes) {
  const std::string head = Lowercase(std::string_view(bytes).substr(0, 16 * 1024));
  size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const size_t end = head.find('>', pos);
    if (end == std::string::npos) break;
    const std::string_view tag = std::string_view(head).substr(pos, end - pos);
    const size_t cs = tag.find("charset");
    if (cs != std::string::npos) {
      size_t i = cs + 7;
      while (i < tag.size() && (tag[i] == ' ' || tag[i] == '=' || tag[i] == '"' || tag[i] == '\'')) ++i;
      size_t j = i;
      while (j < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[j])) || tag[j] == '-' || tag[j] == '_' ||
                                tag[j] == ':' || tag[j] == '.')) {
        ++j;
      }
      if (j > i) return std::string(tag.substr(i, j - i));
    }
    pos = end;
  }
  return {};
}

// An ICU to-Unicode callback that writes U+FFFD for each invalid sequence, and counts them.
// (ICU's own substitute callback writes the charset's substitution character, which for many
// legacy charsets is U+001A, a control character.)
void ReplaceAndCount(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t,
                     UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to write
  ++*static_cast<size_t*>(const_cast<void*>(context));
  *err = U_ZERO_ERROR;
  static const UChar kReplacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

// Converts with ICU; false if ICU does not know the charset.
bool ConvertWithIcu(std::string_view bytes, const std::string& charset, std::string* out, size_t* replaced) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset.c_str(), &err);
  if (U_FAILURE(err) || conv == nullptr) return false;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> guard(conv, ucnv_close);
  ucnv_setToUCallBack(conv, ReplaceAndCount, replaced, nullptr, nullptr, &err);
  if (U_FAILURE(err)) return false;
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), conv, err);
  if (U_FAILURE(err)) return false;
  out->clear();
  text.toUTF8String(*out);
  return true;
}

std::string Detect(const std::string& bytes) {
  UErrorCode err = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&err);
  if (U_FAILURE(err)) return {};
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> guard(det, ucsdet_close);
  // The detector only needs a sample; the whole of a large page costs time for nothing.
  const size_t sample = std::min<size_t>(bytes.size(), 64 * 1024);
  ucsdet_setText(det, bytes.data(), static_cast<int32_t>(sample), &err);
  ucsdet_enableInputFilter(det, true);  // ignore markup
  const UCharsetMatch* match = ucsdet_detect(det, &err);
  if (U_FAILURE(err) || match == nullptr) return {};
  const char* name = ucsdet_getName(match, &err);
  return U_FAILURE(err) || name == nullptr ? std::string() : std::string(name);
}

// UTF-16 without a byte-order mark: ASCII-range text leaves every other byte NUL. Returns
// "UTF-16LE", "UTF-16BE" or empty.
std::string Utf16ByNulPattern(const std::string& bytes) {
  const size_t sample = std::min<size_t>(bytes.size(), 4096) & ~size_t{1};
  size_t even_nul = 0, odd_nul = 0;
  for (size_t i = 0; i < sample; i += 2) {
    even_nul += bytes[i] == '\0';
    odd_nul += bytes[i + 1] == '\0';
  }
  const size_t pairs = sample / 2;
  if (pairs < 8) return {};
  if (odd_nul * 10 >= pairs * 4 && even_nul * 10 < pairs) return "UTF-16LE";
  if (even_nul * 10 >= pairs * 4 && odd_nul * 10 < pairs) return "UTF-16BE";
  return {};
}

// Copies `bytes` to `out` with each invalid UTF-8 byte replaced by U+FFFD; returns how many.
size_t Repair(std::string_view bytes, std::string* out) {
  out->clear();
  out->reserve(bytes.size());
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t replaced = 0, i = 0, run = 0;  // [run, i) is valid and not yet copied
  while (i < n) {
    if (p[i] < 0x80) { ++i; continue; }
    const size_t len = ValidSequenceLength(p + i, n - i);
    if (len > 0) { i += len; continue; }
    out->append(bytes.substr(run, i - run));
    out->append("\xEF\xBF\xBD");
    ++replaced;
    run = ++i;
  }
  out->append(bytes.substr(run));
  return replaced;
}

class Decoder {
 public:
  Decoder(const std::string& bytes, bool html) : bytes_(bytes), html_(html) {}

  DecodedText Run(const std::string& declared) {
    if (Bom()) return std::move(result_);
    const std::string wide = Utf16ByNulPattern(bytes_);
    const std::string declared_charset = CanonicalCharset(declared);
    if (IsWide(declared_charset) && (!wide.empty() || Profile().invalid > 0) &&
        Finish(wide.empty() ? declared_charset : wide, "declared", 0)) {
      return std::move(result_);
    }
    if (!wide.empty()) {
      // An ASCII-compatible label cannot be right about bytes that are half NULs.
      if (!declared_charset.empty()) result_.ignored_label = declared_charset;
      if (Finish(wide, "detected", 0)) return std::move(result_);
    }
    if (TryLabel(declared_charset, "declared")) return std::move(result_);
    if (html_ && TryLabel(CanonicalCharset(MetaCharset(bytes_)), "meta")) return std::move(result_);
    return Guess();
  }

 private:
  bool Bom() {
    if (bytes_.compare(0, 3, "\xEF\xBB\xBF") == 0) return Finish("UTF-8", "bom", 3);
    if (bytes_.compare(0, 2, "\xFF\xFE") == 0) return Finish("UTF-16LE", "bom", 2);
    if (bytes_.compare(0, 2, "\xFE\xFF") == 0) return Finish("UTF-16BE", "bom", 2);
    return false;
  }

  // Uses a label unless the bytes contradict it (see charset.h).
  bool TryLabel(const std::string& charset, const char* source) {
    if (charset.empty() || IsWide(charset)) return false;  // a readable label cannot say UTF-16
    const Utf8Profile profile = Profile();
    if (IsUtf8(charset)) {
      // A few stray bytes in real UTF-8 are damage; mostly invalid bytes are another charset.
      if (profile.invalid < 3 || profile.multibyte >= 4 * profile.invalid) return Finish("UTF-8", source, 0);
      result_.ignored_label = charset;
      return false;
    }
    if (profile.invalid == 0 && profile.multibyte > 0) {
      // Legacy text with high bytes is almost never valid UTF-8 by chance.
      result_.ignored_label = charset;
      return Finish("UTF-8", "detected", 0);
    }
    if (Finish(charset, source, 0)) return true;
    return false;  // ICU does not know the label: go on to the next clue
  }

  DecodedText Guess() {
    const Utf8Profile profile = Profile();
    if (profile.invalid == 0) {
      Finish("UTF-8", "default", 0);
      return std::move(result_);
    }
    std::string detected = Detect(bytes_);
    // The detector's UTF-16/32 guesses on BOM-less bytes are mostly binary junk (real BOM-less
    // UTF-16 was caught by the NUL pattern), and a UTF-8 guess was just disproved.
    if (!detected.empty() && !IsWide(detected) && !IsUtf8(CanonicalCharset(detected)) &&
        Finish(CanonicalCharset(detected), "detected", 0)) {
      return std::move(result_);
    }
    Finish("windows-1252", "default", 0);
    return std::move(result_);
  }

  const Utf8Profile& Profile() {
    if (!profiled_) {
      profile_ = ProfileUtf8(bytes_);
      profiled_ = true;
    }
    return profile_;
  }

  bool Finish(const std::string& charset, const char* source, size_t skip) {
    const std::string_view body = std::string_view(bytes_).substr(std::min(skip, bytes_.size()));
    size_t replaced = 0;
    if (IsUtf8(charset)) {
      replaced = Repair(body, &result_.utf8);
    } else if (!ConvertWithIcu(body, charset, &result_.utf8, &replaced)) {
      return false;
    }
    result_.charset = charset;
    result_.source = source;
    result_.replaced = replaced;
    return true;
  }

  const std::string& bytes_;
  const bool html_;
  bool profiled_ = false;
  Utf8Profile profile_;
  DecodedText result_;
};

}  // namespace

bool IsValidUtf8(const std::string& bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0, n = bytes.size();
  while (i < n) {
    if (p[i] < 0x80) { ++i; continue; }
    size_t len = ValidSequenceLength(p + i, n - i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string RepairUtf8(const std::string& bytes) {
  std::string out;
  Repair(bytes, &out);
  return out;
}

DecodedText DecodeToUtf8(const std::string& bytes, const std::string& declared, bool html) {
  return Decoder(bytes, html).Run(declared);
}

}  // namespace tw
