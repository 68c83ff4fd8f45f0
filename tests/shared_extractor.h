// One Extractor over the project's rules, loaded once per test binary (loading takes most of a
// second): for the tests that extract from text.
#pragma once

#include <catch2/catch.hpp>

#include <memory>

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

}  // namespace tw::test
