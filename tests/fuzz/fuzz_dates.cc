// Fuzz target: date finding and normalisation (extractors/dates.h) with the project's own
// rules/dates.toml. The input is text; a first line of up to 16 bytes is the anchor (the publication
// date) as given, valid or not, since anchors come from pages. Every mention must spell its span and
// carry a value of a known form (ISO date, ISO week, decade), which an event date is made from.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "extractors/dates.h"
#include "extractors/extractor.h"
#include "extractors/text.h"
#include "pipeline/charset.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const tw::DateFinder& finder = tw::fuzz::LoadOnce<tw::DateFinder>("rules/dates.toml", [] {
    return tw::DateFinder::Load(tw::ExtractorOptions{}.rules_dir + "/dates.toml");
  });
  auto [anchor, body] = tw::fuzz::SplitHead(tw::fuzz::Bytes(data, size), 16);
  const std::string text = tw::RepairUtf8(body);
  size_t previous_start = 0;
  for (const auto& d : finder.Find(text, tw::SplitSentences(text), anchor)) {
    FUZZ_CHECK(tw::fuzz::SpanSpells(text, d.start, d.end, d.text));
    FUZZ_CHECK(d.start >= previous_start);  // in text order
    previous_start = d.start;
    FUZZ_CHECK(tw::fuzz::IsDateValue(d.value));
    FUZZ_CHECK(d.end_value.empty() || tw::fuzz::IsDateValue(d.end_value));
    const std::string event_date = tw::DateFinder::EventDate(d.value);
    FUZZ_CHECK(event_date.empty() || tw::fuzz::IsIsoDate(event_date));
  }
  return 0;
}
