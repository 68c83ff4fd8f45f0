// Helpers shared by the fuzz targets.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

// An invariant of the code under test: when it does not hold, the input is a finding (libFuzzer
// saves it as a crash; the corpus driver fails the test).
#define FUZZ_CHECK(cond)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)

namespace tw::fuzz {

inline std::string Bytes(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Splits "first line\nrest" at the first newline when the first line is at most `max_head` bytes;
// otherwise the head is empty and all of `input` is the rest. Lets one input carry a small
// parameter (an anchor date, a width) before its body.
inline std::pair<std::string, std::string> SplitHead(const std::string& input, size_t max_head) {
  const size_t nl = input.find('\n');
  if (nl == std::string::npos || nl > max_head) return {std::string(), input};
  return {input.substr(0, nl), input.substr(nl + 1)};
}

// True when [start, end) is a valid span of `text` and spells `expected`.
inline bool SpanSpells(std::string_view text, size_t start, size_t end, std::string_view expected) {
  return start <= end && end <= text.size() && text.substr(start, end - start) == expected;
}

// What a target reads on every input (rules, a gazetteer), loaded on the first input only.
// `open` returns a tw::Result<std::unique_ptr<T>>; a failure names `what` and aborts, since no
// input can be tried without it. One object per `open` lambda, as the lambda's type is unique.
template <typename T, typename Open>
const T& LoadOnce(const char* what, Open open) {
  static const std::unique_ptr<T> loaded = [&] {
    auto r = open();
    if (!r.ok()) {
      std::fprintf(stderr, "cannot load %s: %s\n", what, r.status().message().c_str());
      std::abort();
    }
    return std::move(r.value());
  }();
  return *loaded;
}

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a real month and a day that exists in that month.
bool IsIsoDate(const std::string& value);
// An ISO date, an ISO week ("2021-W05") or a decade ("199X"): every value the date layer may give.
bool IsDateValue(const std::string& value);

}  // namespace tw::fuzz
