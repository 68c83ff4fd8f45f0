// Per-document ceilings (size, main-text length, cleaning time): a document over one is skipped,
// counted apart from failures, and named in the summary.
#include <catch2/catch.hpp>

#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/ingest.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

RawDoc HtmlDoc(const std::string& origin, const std::string& body) {
  RawDoc doc;
  doc.url = "https://news.example/" + origin;
  doc.origin = origin;
  doc.content_type = "text/html";
  doc.bytes = "<html><body><article>" + body + "</article></body></html>";
  return doc;
}

std::string Paragraphs(size_t bytes) {
  std::string out;
  while (out.size() < bytes) out += "<p>The council met on Monday and talked about parks, buses and the budget for next year.</p>";
  return out;
}

}  // namespace

TEST_CASE("the cleaner refuses main text over its length limit as too large, naming the document") {
  CleanerOptions options;
  options.max_text_bytes = 10000;
  Cleaner cleaner(options);
  auto small = cleaner.Process(HtmlDoc("small.html", Paragraphs(5000)));
  REQUIRE(small.ok());
  auto large = cleaner.Process(HtmlDoc("large.html", Paragraphs(50000)));
  REQUIRE_FALSE(large.ok());
  CHECK(large.status().code() == Status::Code::kTooLarge);
  CHECK(large.status().message() == "large.html: main text longer than the limit of 10000 bytes (--max-text-mb)");
  RawDoc text = HtmlDoc("large.txt", "");
  text.content_type = "text/plain";
  text.bytes = std::string(20000, 'x');
  CHECK(cleaner.Process(text).status().code() == Status::Code::kTooLarge);
}

TEST_CASE("the cleaner refuses a document that takes longer than its time limit") {
  CleanerOptions options;
  options.max_seconds = 1e-9;  // expired before the first check
  auto slow = Cleaner(options).Process(HtmlDoc("slow.html", Paragraphs(5000)));
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.status().code() == Status::Code::kTooLarge);
  CHECK_THAT(slow.status().message(), Catch::StartsWith("slow.html: cleaning took longer than the limit of 1e-09 s"));
  options.max_seconds = 0;  // no limit
  CHECK(Cleaner(options).Process(HtmlDoc("any.html", Paragraphs(5000))).ok());
}

TEST_CASE("ingest counts documents over a limit as skipped, not failed, and names them in the summary") {
  auto extractor = Extractor::Open(ExtractorOptions{});
  REQUIRE(extractor.ok());
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "in/a-fine.html", "<html><body>" + Paragraphs(3000) + "</body></html>");
  tw::test::WriteFile(dir / "in/b-big.html", "<html><body>" + Paragraphs(300000) + "</body></html>");
  tw::test::WriteFile(dir / "in/c-long-text.txt", std::string(150000, 'w'));
  tw::test::WriteFile(dir / "in/d-empty.html", "");
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  CleanerOptions cleaner_options;
  cleaner_options.max_text_bytes = 100000;
  Cleaner cleaner(cleaner_options);
  IngestOptions options;
  options.reader.max_document_bytes = 200000;
  LineTotals t = RunIngest({dir / "in"}, cleaner, **extractor, **store, options, nullptr);
  CHECK(t.read == 4);
  CHECK(t.stored == 1);
  CHECK(t.failed == 1);  // the empty file
  CHECK(t.skipped == 2);
  CHECK(t.skipped_names == std::vector<std::string>{dir / "in/b-big.html", dir / "in/c-long-text.txt"});
  CHECK_THAT(SummaryLine("ingest", t),
             Catch::EndsWith("; 2 skipped over limits: " + dir / "in/b-big.html" + ", " + dir / "in/c-long-text.txt"));
}

TEST_CASE("the summary names the first skipped documents and counts the rest") {
  LineTotals t;
  t.read = 8;
  t.skipped = 8;
  t.skipped_names = {"a", "b", "c", "d", "e"};
  CHECK(SummaryLine("ingest", t) ==
        "ingest: 8 read, 0 stored, 0 duplicate, 0 failed; events 0 new, 0 merged; 0.0 s, 0.0 articles/s; "
        "8 skipped over limits: a, b, c, d, e and 3 more (see the warnings above)");
  t.skipped = 0;
  t.skipped_names.clear();
  CHECK_THAT(SummaryLine("ingest", t), Catch::EndsWith("articles/s"));
}
