// Hostile and broken documents: each gets sane output or an error naming it, never a crash.
#include <catch2/catch.hpp>

#include <string>

#include "pipeline/cleaner.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

RawDoc Doc(std::string bytes, const std::string& charset = "") {
  RawDoc d;
  d.url = "file:///tmp/hostile.html";
  d.origin = "hostile.html";
  d.content_type = "text/html";
  d.charset = charset;
  d.bytes = std::move(bytes);
  d.fetch_time = 1735689600;  // 2025-01-01
  return d;
}


std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kParagraph =
    "The council approved the new partnership on Tuesday after a long debate about costs, school exchanges and "
    "trade missions, and the mayor said the first delegation would travel in the spring.";

// These tests are about depth and size, not time: a sanitizer build on a loaded machine may take
// longer than the default time budget (limits_test covers the budget), so they run without one.
CleanerOptions Untimed() {
  CleanerOptions options;
  options.max_seconds = 0;
  return options;
}

void RequireErrorNamingDocument(const Result<Article>& a) {
  REQUIRE_FALSE(a.ok());
  CHECK_THAT(a.status().message(), Catch::Contains("hostile.html"));
}

}  // namespace

TEST_CASE("robustness: a page with no body, or only a head, is a clear per-document error") {
  RequireErrorNamingDocument(Cleaner().Process(Doc("<html><head><title>Only a title</title></head></html>")));
  RequireErrorNamingDocument(Cleaner().Process(Doc("<!doctype html>")));
  // Text with no <body> tag at all is still a body to the parser.
  auto bare = Cleaner().Process(Doc("<title>Bare</title><p>" + kParagraph + "</p>"));
  REQUIRE(bare.ok());
  CHECK(bare->text == kParagraph);
}

TEST_CASE("robustness: a frameset page gives its noframes text, or a clear error when it has none") {
  const std::string frames = "<html><head><title>Frames</title></head><frameset cols=\"50%,50%\">"
                             "<frame src=\"a.html\"><frame src=\"b.html\">";
  // The parser keeps <noframes> as raw markup; its text is read as the page it is.
  auto a = Cleaner().Process(Doc(frames + "<noframes><body><nav><a href=\"/\">Home</a></nav><p>" + kParagraph +
                                 "</p></body></noframes></frameset></html>"));
  REQUIRE(a.ok());
  CHECK(a->text == kParagraph);
  CHECK(a->text_source == "noframes");
  CHECK(a->title.value == "Frames");
  RequireErrorNamingDocument(Cleaner().Process(Doc(frames + "</frameset></html>")));
  // Outside a frameset, <noframes> is a note for old browsers, not text.
  auto page = Cleaner().Process(Doc("<html><body><noframes>Your browser does not show frames, so please upgrade it "
                                    "today.</noframes><p>" + kParagraph + "</p></body></html>"));
  REQUIRE(page.ok());
  CHECK(page->text == kParagraph);
}

TEST_CASE("robustness: a page that is all script is an error, not script text") {
  const std::string page = "<html><head><script>" + Repeat("var x = document.getElementById('a'); x.innerHTML = '<p>no</p>';\n", 2000) +
                           "</script></head><body><script>window.start();</script><noscript></noscript></body></html>";
  RequireErrorNamingDocument(Cleaner().Process(Doc(page)));
}

TEST_CASE("robustness: binary junk is refused") {
  std::string junk;
  for (int i = 0; i < 100000; ++i) junk.push_back(static_cast<char>((i * 7919 + i / 13) % 256));
  RequireErrorNamingDocument(Cleaner().Process(Doc(junk)));
  RequireErrorNamingDocument(Cleaner().Process(Doc("\x89PNG\r\n\x1a\n" + std::string(5000, '\0') + "IHDR")));
}

TEST_CASE("robustness: a million nested elements clean without recursion") {
  const size_t n = 1000000;
  const std::string page = "<html><body><article><p>" + kParagraph + "</p>" + Repeat("<div>", n) + "<span>deep</span>" +
                           Repeat("</div>", n) + "<p>" + kParagraph + "</p></article></body></html>";
  auto a = Cleaner(Untimed()).Process(Doc(page));
  REQUIRE(a.ok());
  CHECK_THAT(a->text, Catch::StartsWith(kParagraph));
}

TEST_CASE("robustness: a 50 MB page whose text runs past the configured size is refused as too large") {
  std::string page = "<html><head><title>Long</title></head><body><article>";
  const std::string p = "<p>" + Repeat(kParagraph + " ", 25) + "</p>\n";
  while (page.size() < (50u << 20)) page += p;
  page += "</article></body></html>";
  CleanerOptions options = Untimed();
  options.max_text_bytes = 1u << 20;
  // Text past the limit is no news article: skipped and named (issue 7), not cut.
  auto a = Cleaner(options).Process(Doc(page));
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().code() == Status::Code::kTooLarge);
  CHECK_THAT(a.status().message(), Catch::Contains("main text longer than the limit of 1048576 bytes"));
  // Within the limit the same page is cleaned: the markup past max_html_bytes is left out.
  options.max_text_bytes = 16u << 20;
  auto b = Cleaner(options).Process(Doc(page));
  REQUIRE(b.ok());
  CHECK_THAT(b->text, Catch::StartsWith("The council approved"));
}

TEST_CASE("robustness: mislabelled, legacy and wide charsets decode to the right text") {
  const std::string french = "Le caf\xC3\xA9 de la place accueille les d\xC3\xA9l\xC3\xA9gations des villes jumel\xC3\xA9""es, "
                             "et les \xC3\xA9lus ont c\xC3\xA9l\xC3\xA9""br\xC3\xA9 l'\xC3\xA9t\xC3\xA9 dernier les quarante ans du jumelage.";
  const std::string page = "<html><head><meta charset=\"utf-8\"><title>Jumelage</title></head><body><p>" + french + "</p></body></html>";

  SECTION("windows-1252 labelled UTF-8") {
    auto a = Cleaner().Process(Doc(test::EncodeAs(page, "windows-1252"), "utf-8"));
    REQUIRE(a.ok());
    CHECK(a->text == french);
    CHECK(a->charset == "windows-1252");
  }
  SECTION("UTF-8 labelled windows-1252") {
    auto a = Cleaner().Process(Doc(page, "windows-1252"));
    REQUIRE(a.ok());
    CHECK(a->text == french);
    CHECK(a->charset == "UTF-8");
  }
  SECTION("UTF-16 with and without a byte-order mark") {
    auto bom = Cleaner().Process(Doc("\xFF\xFE" + test::EncodeAs(page, "UTF-16LE")));
    REQUIRE(bom.ok());
    CHECK(bom->text == french);
    auto bare = Cleaner().Process(Doc(test::EncodeAs(page, "UTF-16BE")));
    REQUIRE(bare.ok());
    CHECK(bare->text == french);
    CHECK(bare->charset == "UTF-16BE");
  }
  SECTION("Shift_JIS and GB18030") {
    const std::string ja = "\xE4\xBA\xAC\xE9\x83\xBD\xE5\xB8\x82\xE3\x81\xAF\xE5\xA7\x89\xE5\xA6\xB9\xE9\x83\xBD\xE5\xB8\x82"
                           "\xE3\x81\xA8\xE3\x81\xAE\xE5\x8D\x94\xE5\xAE\x9A\xE3\x82\x92\xE7\xB5\x90\xE3\x82\x93\xE3\x81\xA0\xE3\x80\x82";
    const std::string ja_page = "<html><head><meta charset=\"shift_jis\"><title>t</title></head><body><p>" + ja + ja + ja + "</p></body></html>";
    auto sjis = Cleaner().Process(Doc(test::EncodeAs(ja_page, "Shift_JIS")));
    REQUIRE(sjis.ok());
    CHECK(sjis->text == ja + ja + ja);
    CHECK(sjis->charset == "Shift_JIS");

    const std::string zh = "\xE4\xB8\xA4\xE4\xB8\xAA\xE5\x9F\x8E\xE5\xB8\x82\xE7\xAD\xBE\xE7\xBD\xB2\xE4\xBA\x86\xE5\x8F\x8B"
                           "\xE5\xA5\xBD\xE5\x9F\x8E\xE5\xB8\x82\xE5\x8D\x8F\xE8\xAE\xAE\xE3\x80\x82";
    const std::string zh_page = "<html><head><meta charset=\"gb18030\"><title>t</title></head><body><p>" + zh + zh + zh + "</p></body></html>";
    auto gb = Cleaner().Process(Doc(test::EncodeAs(zh_page, "GB18030")));
    REQUIRE(gb.ok());
    CHECK(gb->text == zh + zh + zh);
    CHECK(gb->charset == "GB18030");
  }
}
