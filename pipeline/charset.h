// Bytes in any charset to UTF-8, with ICU.
#pragma once

#include <string>

#include "pipeline/status.h"

namespace tw {

struct DecodedText {
  std::string utf8;
  std::string charset;  // the charset the bytes were read as, e.g. "UTF-8", "windows-1252"
  std::string source;   // how it was chosen: "bom", "declared", "meta", "detected", "default"
};

// Decodes in this order of trust: byte-order mark, `declared` (from the server or WARC), a
// <meta charset> / http-equiv in the first bytes (when `html`), then ICU's detector. Invalid
// sequences become U+FFFD.
DecodedText DecodeToUtf8(const std::string& bytes, const std::string& declared, bool html);

// Replaces invalid UTF-8 sequences with U+FFFD; valid input comes back unchanged.
std::string RepairUtf8(const std::string& bytes);

// True when `bytes` is entirely valid UTF-8.
bool IsValidUtf8(const std::string& bytes);

}  // namespace tw
