// Fuzz target: charset detection and decoding (pipeline/charset.h) and HTML/text cleaning
// (pipeline/cleaner.h). The input is a document's bytes. Every input is cleaned as an HTML page
// served without a charset; inputs up to 64 KiB are also cleaned as plain text and as HTML with a
// declared charset picked by the input's size, so the BOM, declared, <meta> and detector paths all
// see fuzzed bytes. Whatever comes out must be valid UTF-8: the store writes it as JSON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/charset.h"
#include "pipeline/cleaner.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

const char* const kDeclared[] = {"utf-8", "windows-1252", "ISO-8859-1", "Shift_JIS", "GB18030",
                                 "UTF-16LE", "UTF-16BE", "KOI8-R", "x-no-such-charset", "\"utf-8\""};

void CheckArticle(const tw::Article& a) {
  FUZZ_CHECK(!a.text.empty());
  for (const std::string* field : {&a.text, &a.title.value, &a.published.value, &a.language.value,
                                   &a.author.value, &a.canonical_url.value, &a.charset}) {
    FUZZ_CHECK(tw::IsValidUtf8(*field));
  }
  FUZZ_CHECK(a.content_hash == tw::Hash64(a.text));
}

void Clean(const tw::Cleaner& cleaner, const std::string& bytes, const std::string& type, const std::string& charset) {
  tw::RawDoc doc;
  doc.url = "https://fuzz.example/news/page.html";
  doc.origin = "fuzz input";
  doc.bytes = bytes;
  doc.content_type = type;
  doc.charset = charset;
  auto article = cleaner.Process(doc);
  if (article.ok()) {
    CheckArticle(*article);
  } else {
    // An error names the document.
    FUZZ_CHECK(article.status().message().find("fuzz input") != std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tw::Cleaner cleaner;
  const std::string bytes = tw::fuzz::Bytes(data, size);

  const std::string repaired = tw::RepairUtf8(bytes);
  FUZZ_CHECK(tw::IsValidUtf8(repaired));
  FUZZ_CHECK(tw::IsValidUtf8(bytes) == (repaired == bytes));

  Clean(cleaner, bytes, "text/html", "");
  if (size <= 64 * 1024) {
    const std::string declared = kDeclared[size % (sizeof kDeclared / sizeof kDeclared[0])];
    const tw::DecodedText decoded = tw::DecodeToUtf8(bytes, declared, /*html=*/true);
    FUZZ_CHECK(tw::IsValidUtf8(decoded.utf8));
    FUZZ_CHECK(!decoded.charset.empty());
    Clean(cleaner, bytes, "text/html", declared);
    Clean(cleaner, bytes, "text/plain", "");
  }
  return 0;
}
