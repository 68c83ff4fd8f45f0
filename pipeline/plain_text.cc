#include "pipeline/plain_text.h"

namespace tw {

namespace {

bool IsAsciiSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// What the multi-byte sequence at `p` (`avail` bytes left) is, for folding: 1 = a space,
// 2 = a zero-width character, 0 = anything else. `len` gets its length.
int Classify(const unsigned char* p, size_t avail, size_t* len) {
  const unsigned char c = p[0];
  *len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (*len > avail) *len = avail;
  if (c == 0xC2 && avail >= 2 && p[1] == 0xA0) return 1;  // U+00A0 no-break space
  if (c == 0xE2 && avail >= 3 && p[1] == 0x80) {
    if (p[2] >= 0x80 && p[2] <= 0x8A) return 1;  // U+2000..U+200A
    if (p[2] == 0xAF) return 1;                  // U+202F narrow no-break space
    if (p[2] >= 0x8B && p[2] <= 0x8D) return 2;  // U+200B..U+200D zero width
    if (p[2] == 0xA8 || p[2] == 0xA9) return 1;  // U+2028/2029 line and paragraph separators
  }
  if (c == 0xE2 && avail >= 3 && p[1] == 0x81 && p[2] == 0x9F) return 1;  // U+205F
  if (c == 0xE3 && avail >= 3 && p[1] == 0x80 && p[2] == 0x80) return 1;  // U+3000 ideographic space
  if (c == 0xEF && avail >= 3 && p[1] == 0xBB && p[2] == 0xBF) return 2;  // U+FEFF
  return 0;
}

}  // namespace

TextCount CountText(std::string_view utf8) {
  TextCount count;
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const size_t n = utf8.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (!IsAsciiSpace(c)) ++count.chars;
      if (c == ',') ++count.commas;
      ++i;
      continue;
    }
    size_t len = 1;
    const int kind = c >= 0xC0 ? Classify(p + i, n - i, &len) : 0;
    if (kind == 0) {
      ++count.chars;
      // ， (U+FF0C), 、 (U+3001), ، (U+060C)
      if ((len == 3 && c == 0xEF && p[i + 1] == 0xBC && p[i + 2] == 0x8C) ||
          (len == 3 && c == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x81) || (len == 2 && c == 0xD8 && p[i + 1] == 0x8C)) {
        ++count.commas;
      }
    }
    i += len;
  }
  return count;
}

void AppendFolded(std::string& out, std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  auto space = [&out] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  size_t run = 0;  // start of bytes to copy as they are
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (IsAsciiSpace(c)) {
        out.append(text.substr(run, i - run));
        space();
        run = ++i;
      } else {
        ++i;
      }
      continue;
    }
    size_t len = 1;
    const int kind = c >= 0xC0 ? Classify(p + i, n - i, &len) : 0;
    if (kind != 0) {
      out.append(text.substr(run, i - run));
      if (kind == 1) space();
      run = i + len;
    }
    i += len;
  }
  out.append(text.substr(run));
}

std::string_view TrimSpaces(std::string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && IsAsciiSpace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && IsAsciiSpace(static_cast<unsigned char>(text[e - 1]))) --e;
  return text.substr(b, e - b);
}

std::string FoldSpaces(std::string_view text) {
  std::string out;
  AppendFolded(out, text);
  return std::string(TrimSpaces(out));
}

}  // namespace tw
