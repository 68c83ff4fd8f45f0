// The project's rule files, loaded once per test program.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace tw::test {

// T::Load(TW_SOURCE_DIR + "/" + relative), once per T; a load error fails the test.
template <typename T>
const T& ProjectRules(const std::string& relative) {
  static std::unique_ptr<T> loaded = [&] {
    auto r = T::Load(std::string(TW_SOURCE_DIR) + "/" + relative);
    if (!r.ok()) FAIL(r.status().ToString());
    return std::move(r.value());
  }();
  return *loaded;
}

}  // namespace tw::test
