// Bytes in any charset to UTF-8, with ICU.
#pragma once

#include <cstddef>
#include <string>

#include "pipeline/status.h"

namespace tw {

struct DecodedText {
  std::string utf8;
  std::string charset;        // the charset the bytes were read as, e.g. "UTF-8", "windows-1252"
  std::string source;         // how it was chosen: "bom", "declared", "meta", "detected", "default"
  std::string ignored_label;  // a declared or <meta> charset the bytes contradicted, e.g. "UTF-8"
  size_t replaced = 0;        // invalid sequences replaced by U+FFFD
};

// Decodes in this order of trust: byte-order mark, `declared` (from the server or WARC), a
// <meta charset> / http-equiv near the top (when `html`), then ICU's detector; with no clue at
// all, valid UTF-8 is UTF-8 and anything else windows-1252. Labels follow the WHATWG encoding
// standard (ISO-8859-1 and ASCII mean windows-1252, GB2312 means GB18030, ...). A label the bytes
// contradict is set aside: UTF-8 with several invalid bytes and few valid sequences (windows-1252 labelled UTF-8), a
// single- or multi-byte legacy label on bytes that are valid UTF-8 with multi-byte sequences, or
// any ASCII-compatible label on bytes that are plainly UTF-16. Invalid sequences become U+FFFD
// and are counted.
DecodedText DecodeToUtf8(const std::string& bytes, const std::string& declared, bool html);

// Replaces invalid UTF-8 sequences with U+FFFD; valid input comes back unchanged.
std::string RepairUtf8(const std::string& bytes);

// True when `bytes` is entirely valid UTF-8.
bool IsValidUtf8(const std::string& bytes);

}  // namespace tw
