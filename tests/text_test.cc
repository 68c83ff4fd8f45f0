#include <catch2/catch.hpp>

#include "extractors/text.h"
#include "tests/rules_fixture.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

std::vector<std::string> Sentences(const SentenceSplitter& splitter, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& s : splitter.Split(text)) out.push_back(text.substr(s.start, s.end - s.start));
  return out;
}

const SentenceSplitter& ProjectSplitter() { return tw::test::ProjectRules<SentenceSplitter>("rules/text.toml"); }

}  // namespace

TEST_CASE("sentences do not end at titles and place abbreviations, but do before an opener") {
  const auto& s = ProjectSplitter();
  CHECK(Sentences(s, "He met Gov. Newsom in St. Petersburg. Then he left.") ==
        std::vector<std::string>{"He met Gov. Newsom in St. Petersburg.", "Then he left."});
  CHECK(Sentences(s, "Then on Nov. 22 the U.S. President spoke in Victoria, B.C. Premier Eby agreed.") ==
        std::vector<std::string>{"Then on Nov. 22 the U.S. President spoke in Victoria, B.C. Premier Eby agreed."});
  CHECK(Sentences(s, "The delegation flew to the U.S. The talks began.") ==
        std::vector<std::string>{"The delegation flew to the U.S.", "The talks began."});
  CHECK(Sentences(s, "John F. Kennedy spoke.\n\nA new paragraph") ==
        std::vector<std::string>{"John F. Kennedy spoke.", "A new paragraph"});
}

TEST_CASE("a text rule file with a wrong type fails with FILE:LINE") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "text.toml", "[abbreviations]\ntitles = \"Mr.\"\n");
  auto r = SentenceSplitter::Load(dir / "text.toml");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::StartsWith(dir / "text.toml:2: abbreviations.titles must be a list"));
  auto missing = SentenceSplitter::Load(dir / "none.toml");
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("none.toml"));
}

TEST_CASE("tokens are runs of letters and digits with their case, in bytes") {
  const std::string text = "ZÜRICH, Zürich’s 2019 plan; Xi'an";
  auto tokens = Tokenize(text);
  REQUIRE(tokens.size() == 7);
  CHECK(text.substr(tokens[0].start, tokens[0].end - tokens[0].start) == "ZÜRICH");
  CHECK(tokens[0].all_upper);
  CHECK(tokens[1].upper_initial);
  CHECK_FALSE(tokens[1].all_upper);
  CHECK(text.substr(tokens[2].start, tokens[2].end - tokens[2].start) == "s");
  CHECK(tokens[3].numeric);
  CHECK_FALSE(tokens[4].upper_initial);
}

TEST_CASE("name keys fold case, accents, hyphens, periods and apostrophes") {
  CHECK(NameKey("Zürich") == "zurich");
  CHECK(NameKey("ZURICH") == "zurich");
  CHECK(NameKey("St. Petersburg") == "st petersburg");
  CHECK(NameKey("Winston-Salem") == NameKey("Winston Salem"));
  CHECK(NameKey("Xi’an") == NameKey("Xi'an"));
  CHECK(NameKey("  B.C. ") == "bc");
  CHECK(FoldForLookup("Kraków") == FoldForLookup("krakow"));
}

TEST_CASE("a name key put together from its words and the gaps between, each folded on its own, is the whole name's key") {
  // The city finder folds each word of a text once and builds the keys of longer names from them.
  for (const std::string name : {"St. Petersburg", "Winston-Salem", "Xi\u2019an", "L'Aquila", "S\u00e3o Tom\u00e9", "Sa\u0303o Tome\u0301",
                                 "ZÜRICH  Nord", "Saint\u2010\u00c9tienne", "Frankfurt am Main", "Ma\u2019anshan", "Bia\u0142ystok"}) {
    const std::vector<Token> tokens = Tokenize(name);
    REQUIRE_FALSE(tokens.empty());
    std::string key;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) AppendFoldedToNameKey(FoldForLookup(name.substr(tokens[i - 1].end, tokens[i].start - tokens[i - 1].end)), &key);
      AppendFoldedToNameKey(FoldForLookup(name.substr(tokens[i].start, tokens[i].end - tokens[i].start)), &key);
    }
    TrimNameKey(&key);
    CHECK(key == NameKey(name));
  }
}
