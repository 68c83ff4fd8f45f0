// Fuzz target: extraction on cleaned text (extractors/): sentences and words (ICU), city lookup in
// the gazetteer, dates, and event rules, with the project's own rules/. The input is an article's
// text; an optional first line of up to 10 bytes is its publication date ("2024-07-01\n...").
// Text reaching the extractor is always valid UTF-8 (the cleaner repairs it), so the input is
// repaired first. Every offset must point into the text and spell what it claims to.
#include <cstddef>
#include <cstdint>
#include <string>

#include "extractors/extractor.h"
#include "extractors/text.h"
#include "pipeline/charset.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const tw::Extractor& extractor =
      tw::fuzz::LoadOnce<tw::Extractor>("the rules", [] { return tw::Extractor::Open(tw::ExtractorOptions{}); });
  auto [published, body] = tw::fuzz::SplitHead(tw::fuzz::Bytes(data, size), 10);
  const std::string text = tw::RepairUtf8(body);

  for (const auto& span : tw::SplitSentences(text)) FUZZ_CHECK(span.start < span.end && span.end <= text.size());
  for (const auto& span : tw::SplitWords(text)) FUZZ_CHECK(span.start < span.end && span.end <= text.size());
  FUZZ_CHECK(tw::IsValidUtf8(tw::FoldForLookup(text)));

  tw::Article article;
  article.url = "https://fuzz.example/a";
  article.origin = "fuzz input";
  article.text = text;
  if (tw::fuzz::IsIsoDate(published)) article.published = {published, "fuzz"};
  const tw::Extraction x = extractor.Process(article);

  FUZZ_CHECK(x.article.text == text);
  for (const auto& c : x.cities) {
    FUZZ_CHECK(tw::fuzz::SpanSpells(text, c.start, c.end, c.text));
    FUZZ_CHECK(tw::IsValidUtf8(c.text));
    FUZZ_CHECK(!c.place.name.empty());
  }
  for (const auto& d : x.dates) {
    FUZZ_CHECK(tw::fuzz::SpanSpells(text, d.start, d.end, d.text));
    FUZZ_CHECK(tw::fuzz::IsDateValue(d.value));
    FUZZ_CHECK(d.end_value.empty() || tw::fuzz::IsDateValue(d.end_value));
  }
  for (const auto& e : x.events) {
    // An event read from the headline has no span in the text.
    FUZZ_CHECK(tw::fuzz::SpanSpells(text, e.start, e.end, e.evidence) ||
               (e.start == 0 && e.end == 0 && e.evidence == x.article.title.value));
    FUZZ_CHECK(tw::IsValidUtf8(e.evidence));
    FUZZ_CHECK(e.date.empty() || tw::fuzz::IsIsoDate(e.date));
    FUZZ_CHECK(!e.rule.empty());
    FUZZ_CHECK(e.confidence > 0 && e.confidence <= 1);
  }
  return 0;
}
