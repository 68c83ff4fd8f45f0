// One Extractor over the project's rules, loaded once per test binary (loading takes most of a
// second): for the tests that extract from text.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "extractors/extractor.h"

namespace tw::test {

inline const Extractor& SharedExtractor() {
  static std::unique_ptr<Extractor> ex = [] {
    auto r = Extractor::Open(ExtractorOptions{});
    if (!r.ok()) FAIL(r.status().ToString());
    return std::move(r.value());
  }();
  return *ex;
}

// What the shared extractor reads in an article with a title (a .txt's first line) and a body.
inline Extraction ExtractArticle(const std::string& title, const std::string& text, const std::string& published = "2024-05-15") {
  Article a;
  a.id = "t";
  a.url = "file:///t.txt";
  a.title = {title, "first line"};
  a.text = text;
  a.published = {published, "test"};
  return SharedExtractor().Process(a);
}

}  // namespace tw::test
