#include "pipeline/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <memory>

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

std::string NormaliseName(std::string name) {
  name.erase(std::remove_if(name.begin(), name.end(), [](char c) { return c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c)); }), name.end());
  return name;
}

// The charset named by <meta charset=...> or <meta http-equiv content="...; charset=..."> in the
// first 4 KiB, or empty.
std::string MetaCharset(const std::string& bytes) {
  std::string head = bytes.substr(0, 4096);
  std::transform(head.begin(), head.end(), head.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    size_t end = head.find('>', pos);
    if (end == std::string::npos) break;
    std::string tag = head.substr(pos, end - pos);
    size_t cs = tag.find("charset");
    if (cs != std::string::npos) {
      size_t i = cs + 7;
      while (i < tag.size() && (tag[i] == ' ' || tag[i] == '=' || tag[i] == '"' || tag[i] == '\'')) ++i;
      size_t j = i;
      while (j < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[j])) || tag[j] == '-' || tag[j] == '_' || tag[j] == ':' || tag[j] == '.')) ++j;
      if (j > i) return tag.substr(i, j - i);
    }
    pos = end;
  }
  return {};
}

bool IsUtf8Name(const std::string& name) {
  std::string n;
  for (char c : name) if (std::isalnum(static_cast<unsigned char>(c))) n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return n == "utf8";
}

// Converts with ICU; false if ICU does not know the charset.
bool ConvertWithIcu(const std::string& bytes, const std::string& charset, std::string* out) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset.c_str(), &err);
  if (U_FAILURE(err) || conv == nullptr) return false;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> guard(conv, ucnv_close);
  // Invalid sequences become U+FFFD.
  ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr, &err);
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
  size_t sample = std::min<size_t>(bytes.size(), 64 * 1024);
  ucsdet_setText(det, bytes.data(), static_cast<int32_t>(sample), &err);
  ucsdet_enableInputFilter(det, true);  // ignore markup
  const UCharsetMatch* match = ucsdet_detect(det, &err);
  if (U_FAILURE(err) || match == nullptr) return {};
  const char* name = ucsdet_getName(match, &err);
  return U_FAILURE(err) || name == nullptr ? std::string() : std::string(name);
}

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
  if (IsValidUtf8(bytes)) return bytes;
  std::string out;
  out.reserve(bytes.size() + 16);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0, n = bytes.size();
  while (i < n) {
    size_t len = ValidSequenceLength(p + i, n - i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(bytes, i, len);
      i += len;
    }
  }
  return out;
}

DecodedText DecodeToUtf8(const std::string& bytes, const std::string& declared, bool html) {
  DecodedText result;
  auto finish = [&](const std::string& charset, const std::string& source, size_t skip) -> bool {
    std::string body = bytes.substr(skip);
    if (IsUtf8Name(charset)) {
      result.utf8 = RepairUtf8(body);
      result.charset = "UTF-8";
    } else if (!ConvertWithIcu(body, charset, &result.utf8)) {
      return false;
    } else {
      result.charset = charset;
    }
    result.source = source;
    return true;
  };

  if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 && finish("UTF-8", "bom", 3)) return result;
  if (bytes.compare(0, 2, "\xFF\xFE") == 0 && finish("UTF-16LE", "bom", 2)) return result;
  if (bytes.compare(0, 2, "\xFE\xFF") == 0 && finish("UTF-16BE", "bom", 2)) return result;
  if (!declared.empty() && finish(NormaliseName(declared), "declared", 0)) return result;
  // UTF-16 without a byte-order mark: ASCII-range text leaves every other byte NUL.
  {
    const size_t sample = std::min<size_t>(bytes.size(), 4096) & ~size_t{1};
    size_t even_nul = 0, odd_nul = 0;
    for (size_t i = 0; i < sample; i += 2) {
      even_nul += bytes[i] == '\0';
      odd_nul += bytes[i + 1] == '\0';
    }
    const size_t pairs = sample / 2;
    if (pairs >= 8 && odd_nul * 10 >= pairs * 4 && even_nul * 10 < pairs && finish("UTF-16LE", "detected", 0)) return result;
    if (pairs >= 8 && even_nul * 10 >= pairs * 4 && odd_nul * 10 < pairs && finish("UTF-16BE", "detected", 0)) return result;
  }
  if (html) {
    std::string meta = MetaCharset(bytes);
    // A page that says UTF-16 in an ASCII-readable meta tag is not UTF-16: the tag would be unreadable.
    if (!meta.empty() && meta.rfind("utf-16", 0) != 0 && finish(meta, "meta", 0)) return result;
  }
  if (IsValidUtf8(bytes)) {
    result.utf8 = bytes;
    result.charset = "UTF-8";
    result.source = "default";
    return result;
  }
  std::string detected = Detect(bytes);
  // The detector's UTF-16/32 guesses on BOM-less bytes are mostly binary junk; real BOM-less
  // UTF-16 was caught by the NUL pattern above.
  const bool wide = detected.rfind("UTF-16", 0) == 0 || detected.rfind("UTF-32", 0) == 0;
  if (!detected.empty() && !wide && finish(detected, "detected", 0)) return result;
  finish("UTF-8", "default", 0);
  return result;
}

}  // namespace tw
