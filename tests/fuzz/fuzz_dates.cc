// Fuzz target: date finding and normalisation (extractors/dates.h). The input is text; a first line
// of up to 16 bytes is the anchor (the publication date) as given, valid or not, since anchors come
// from pages. Every mention must spell its span and normalise to a real ISO date.
#include <cstddef>
#include <cstdint>
#include <string>

#include "extractors/dates.h"
#include "pipeline/charset.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tw::DateFinder finder;
  auto [anchor, body] = tw::fuzz::SplitHead(tw::fuzz::Bytes(data, size), 16);
  const std::string text = tw::RepairUtf8(body);
  size_t previous_start = 0;
  for (const auto& d : finder.Find(text, anchor)) {
    FUZZ_CHECK(tw::fuzz::SpanSpells(text, d.start, d.end, d.text));
    FUZZ_CHECK(d.start >= previous_start);  // in text order
    previous_start = d.start;
    FUZZ_CHECK(tw::fuzz::IsIsoDate(d.value));
    FUZZ_CHECK(d.end_value.empty() || tw::fuzz::IsIsoDate(d.end_value));
  }
  return 0;
}
