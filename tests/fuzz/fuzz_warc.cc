// Fuzz target: WARC reading (pipeline/warc.h), and gunzipping first when the input is gzip data
// (pipeline/gzip.h), as for a .warc.gz. The input is a whole WARC file. Records are read until the
// end, a corruption (after which the reader cannot go on), or 10,000 records.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/gzip.h"
#include "pipeline/warc.h"
#include "tests/fuzz/fuzz_util.h"

namespace {
constexpr size_t kMaxRecordBytes = 1 << 20;
constexpr size_t kMaxFileBytes = 16 << 20;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes = tw::fuzz::Bytes(data, size);
  if (tw::LooksGzipped(bytes)) {
    auto inflated = tw::Gunzip(bytes, kMaxFileBytes);
    if (!inflated.ok()) {
      const auto code = inflated.status().code();
      FUZZ_CHECK(code == tw::Status::Code::kCorruption || code == tw::Status::Code::kTooLarge);
      return 0;
    }
    bytes = std::move(inflated.value());
  }
  tw::WarcReader reader(tw::MemoryStream(std::move(bytes)), "fuzz.warc", kMaxRecordBytes);
  uint64_t expected_index = 0;
  for (int i = 0; i < 10000; ++i) {
    auto next = reader.Next();
    if (!next.ok()) {
      const tw::Status& st = next.status();
      FUZZ_CHECK(st.message().rfind("fuzz.warc: record ", 0) == 0);  // names the file and the record
      if (st.code() == tw::Status::Code::kTooLarge) {
        ++expected_index;
        continue;
      }
      FUZZ_CHECK(st.code() == tw::Status::Code::kCorruption);
      break;
    }
    if (!next.value()) break;
    const tw::WarcRecord& rec = *next.value();
    FUZZ_CHECK(rec.index == expected_index++);
    FUZZ_CHECK(rec.payload.size() <= kMaxRecordBytes);
    tw::ParseWarcDate(rec.date);
  }
  return 0;
}
