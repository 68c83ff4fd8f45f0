#include <catch2/catch.hpp>

#include "pipeline/charset.h"
#include "tests/test_util.h"

using namespace tw;

namespace {


const std::string kJapanese =
    "京都市と姉妹都市の協定を結んだ市長は、両市の学生交流を来年から始めると発表した。"
    "市民の期待は大きく、商店街でも歓迎の声が上がっている。協定の調印式は市役所で行われた。";
const std::string kChinese =
    "两个城市的市长在市政厅签署了友好城市协议，并宣布明年开始学生交流项目。"
    "市民对此充满期待，商会也表示欢迎。签字仪式在市政府大楼举行，双方代表发表了讲话。";
const std::string kFrench =
    "Le café de la place, ouvert depuis 1950, accueille les délégations des villes jumelées. "
    "Élus et lycéens ont célébré l'été dernier les quarante ans du jumelage, à côté de l'église.";

std::string Page(const std::string& body, const std::string& head = "") {
  return "<html><head>" + head + "<title>t</title></head><body><p>" + body + "</p></body></html>";
}

}  // namespace

TEST_CASE("charset: a byte-order mark wins over every label") {
  auto utf8 = DecodeToUtf8("\xEF\xBB\xBF" + Page(kFrench), "windows-1252", true);
  CHECK(utf8.charset == "UTF-8");
  CHECK(utf8.source == "bom");
  CHECK(utf8.utf8.rfind("<html>", 0) == 0);  // the mark itself is gone

  auto le = DecodeToUtf8("\xFF\xFE" + test::EncodeAs(Page(kFrench), "UTF-16LE"), "", true);
  CHECK(le.charset == "UTF-16LE");
  CHECK(le.source == "bom");
  CHECK_THAT(le.utf8, Catch::Contains("jumelées"));

  auto be = DecodeToUtf8("\xFE\xFF" + test::EncodeAs(Page(kJapanese), "UTF-16BE"), "", true);
  CHECK(be.charset == "UTF-16BE");
  CHECK_THAT(be.utf8, Catch::Contains("姉妹都市"));
}

TEST_CASE("charset: the server's label comes before the page's meta tag") {
  const std::string bytes = test::EncodeAs(Page(kFrench, "<meta charset=\"iso-8859-2\">"), "windows-1252");
  auto d = DecodeToUtf8(bytes, "windows-1252", true);
  CHECK(d.charset == "windows-1252");
  CHECK(d.source == "declared");
  CHECK_THAT(d.utf8, Catch::Contains("délégations"));
  CHECK(d.replaced == 0);
}

TEST_CASE("charset: meta charset and http-equiv are read, with WHATWG label meanings") {
  auto meta = DecodeToUtf8(test::EncodeAs(Page(kFrench, "<meta charset='ISO-8859-1'>"), "windows-1252"), "", true);
  CHECK(meta.source == "meta");
  CHECK(meta.charset == "windows-1252");  // ISO-8859-1 means windows-1252 on the web
  CHECK_THAT(meta.utf8, Catch::Contains("l'été"));

  // 0x80 is the euro sign in windows-1252, a C1 control in strict ISO-8859-1.
  auto euro = DecodeToUtf8(Page("Prix: 20 \x80, r\xE9serv\xE9"), "iso-8859-1", false);
  CHECK_THAT(euro.utf8, Catch::Contains("20 €, réservé"));

  auto equiv = DecodeToUtf8(
      test::EncodeAs(Page(kJapanese, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"), "Shift_JIS"),
      "", true);
  CHECK(equiv.source == "meta");
  CHECK(equiv.charset == "Shift_JIS");
  CHECK_THAT(equiv.utf8, Catch::Contains(kJapanese));

  auto gbk = DecodeToUtf8(test::EncodeAs(Page(kChinese, "<meta charset=gb2312>"), "GB18030"), "", true);
  CHECK(gbk.charset == "GB18030");  // GB2312 labels are read with the GB18030 superset
  CHECK_THAT(gbk.utf8, Catch::Contains(kChinese));
}

TEST_CASE("charset: Shift_JIS and GB18030 without any label are detected") {
  const std::string ja_page = Page(kJapanese + kJapanese + kJapanese);
  auto ja = DecodeToUtf8(test::EncodeAs(ja_page, "Shift_JIS"), "", true);
  CHECK(ja.source == "detected");
  CHECK(ja.charset == "Shift_JIS");
  CHECK(ja.utf8 == ja_page);

  const std::string zh_page = Page(kChinese + kChinese + kChinese);
  auto zh = DecodeToUtf8(test::EncodeAs(zh_page, "GB18030"), "", true);
  CHECK(zh.source == "detected");
  CHECK(zh.charset == "GB18030");
  CHECK(zh.utf8 == zh_page);
}

TEST_CASE("charset: windows-1252 bytes labelled UTF-8 are read as windows-1252") {
  const std::string bytes = test::EncodeAs(Page(kFrench, "<meta charset=\"utf-8\">"), "windows-1252");
  for (const std::string& declared : {std::string("utf-8"), std::string()}) {  // by the server, or only by the meta tag
    auto d = DecodeToUtf8(bytes, declared, true);
    CHECK(d.charset == "windows-1252");
    CHECK(d.ignored_label == "UTF-8");
    CHECK_THAT(d.utf8, Catch::Contains("Élus et lycéens"));
    CHECK(d.replaced == 0);
  }
}

TEST_CASE("charset: UTF-8 bytes labelled windows-1252 or ISO-8859-1 are read as UTF-8") {
  const std::string page = Page(kFrench, "<meta charset=\"windows-1252\">");
  auto declared = DecodeToUtf8(page, "ISO-8859-1", true);
  CHECK(declared.charset == "UTF-8");
  CHECK(declared.ignored_label == "windows-1252");
  CHECK(declared.utf8 == page);  // not "cafÃ©"
  auto meta = DecodeToUtf8(page, "", true);
  CHECK(meta.charset == "UTF-8");
  CHECK(meta.utf8 == page);

  // Pure ASCII under a legacy label is simply that label.
  auto ascii = DecodeToUtf8(Page("plain words"), "windows-1252", true);
  CHECK(ascii.charset == "windows-1252");
  CHECK(ascii.ignored_label.empty());
}

TEST_CASE("charset: UTF-16 without a byte-order mark is recognised by its NUL bytes") {
  const std::string page = Page(kFrench);
  auto le = DecodeToUtf8(test::EncodeAs(page, "UTF-16LE"), "", true);
  CHECK(le.charset == "UTF-16LE");
  CHECK(le.utf8 == page);
  auto be = DecodeToUtf8(test::EncodeAs(page, "UTF-16BE"), "", true);
  CHECK(be.charset == "UTF-16BE");
  CHECK(be.utf8 == page);
  // A server saying windows-1252 about UTF-16 bytes is wrong.
  auto mislabelled = DecodeToUtf8(test::EncodeAs(page, "UTF-16LE"), "windows-1252", true);
  CHECK(mislabelled.charset == "UTF-16LE");
  CHECK(mislabelled.ignored_label == "windows-1252");
  CHECK(mislabelled.utf8 == page);
  // A server saying UTF-16 about CJK text with no ASCII at all is believed.
  auto declared = DecodeToUtf8(test::EncodeAs(kJapanese, "UTF-16LE"), "utf-16", false);
  CHECK(declared.charset == "UTF-16LE");
  CHECK(declared.utf8 == kJapanese);
}

TEST_CASE("charset: invalid sequences become U+FFFD and are counted, nothing is dropped") {
  // Real UTF-8 with two damaged bytes stays UTF-8.
  const std::string damaged = "d\xC3\xA9j\xC3\xA0 vu \xFF, caf\xC3\xA9 cr\xC3\xA8me, na\xC3\xAFve \xC0 fin";
  auto d = DecodeToUtf8(damaged, "utf-8", false);
  CHECK(d.charset == "UTF-8");
  CHECK(d.replaced == 2);
  CHECK(d.utf8 == "déjà vu \xEF\xBF\xBD, café crème, naïve \xEF\xBF\xBD fin");
  CHECK(RepairUtf8("ok \xE2\x82") == "ok \xEF\xBF\xBD\xEF\xBF\xBD");  // a truncated sequence: one mark per byte
  CHECK(IsValidUtf8("déjà"));
  CHECK_FALSE(IsValidUtf8("d\xE9j\xE0"));

  // Invalid bytes in a legacy charset are counted too: in Shift_JIS a lone lead byte at the end.
  auto sjis = DecodeToUtf8(test::EncodeAs(kJapanese, "Shift_JIS") + "\x82", "shift_jis", false);
  CHECK(sjis.charset == "Shift_JIS");
  CHECK(sjis.replaced == 1);
  CHECK_THAT(sjis.utf8, Catch::StartsWith(kJapanese));
  CHECK_THAT(sjis.utf8, Catch::EndsWith("\xEF\xBF\xBD"));
}

TEST_CASE("charset: an unknown label is skipped for the next clue") {
  auto d = DecodeToUtf8(test::EncodeAs(Page(kFrench, "<meta charset=\"windows-1252\">"), "windows-1252"), "x-no-such-charset", true);
  CHECK(d.charset == "windows-1252");
  CHECK(d.source == "meta");
  CHECK_THAT(d.utf8, Catch::Contains(kFrench));
  auto none = DecodeToUtf8(test::EncodeAs(kFrench, "windows-1252"), "", false);
  CHECK(none.charset == "windows-1252");
  CHECK(none.utf8 == kFrench);
}
