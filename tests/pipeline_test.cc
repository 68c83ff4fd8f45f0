#include <catch2/catch.hpp>

#include "extractors/extractor.h"
#include "pipeline/cleaner.h"
#include "pipeline/ingest.h"
#include "storage/query.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

// Writes `n` distinct articles, every tenth one reporting an agreement between two real cities.
void WriteCorpus(const std::string& dir, int n) {
  const char* pairs[][2] = {{"Lyon", "Kyoto"}, {"Tartu", "Turku"}, {"Gdansk", "Bremen"}, {"Rosario", "Porto Alegre"}};
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> paragraphs = {
        "Article number " + std::to_string(i) + " reports on the council meeting held this week, where members discussed budgets, parks and buses.",
        "The session lasted three hours and ended with a vote on item " + std::to_string(i * 7) + " of the agenda."};
    if (i % 10 == 0) {
      const auto& p = pairs[(i / 10) % 4];
      paragraphs.push_back(std::string(p[0]) + " signed a sister-city agreement with " + p[1] + " in 2021.");
    }
    tw::test::WriteFile(dir + "/a" + std::to_string(i / 100) + "/article-" + std::to_string(i) + ".html",
                        tw::test::NewsPage("Council report " + std::to_string(i), paragraphs, "2024-01-15"));
  }
}

struct Fixture {
  std::unique_ptr<Extractor> extractor;
  Cleaner cleaner;
  Fixture() {
    auto ex = Extractor::Open(ExtractorOptions{});
    REQUIRE(ex.ok());
    extractor = std::move(ex.value());
  }
};

}  // namespace

TEST_CASE("1,000 files in, 1,000 articles stored, and every counter agrees") {
  Fixture f;
  tw::test::TempDir dir;
  WriteCorpus(dir / "in", 1000);
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  IngestOptions options;
  options.line.queue_capacity = 8;  // small queues: backpressure on every stage
  LineTotals t = RunIngest({dir / "in"}, f.cleaner, *f.extractor, **store, options, nullptr);
  CHECK(t.read == 1000);
  CHECK(t.stored == 1000);
  CHECK(t.failed == 0);
  CHECK(t.duplicates == 0);
  REQUIRE(t.stages.size() == 3);
  CHECK(t.stages[0].in == 1000);
  CHECK(t.stages[0].out == t.stages[1].in);
  CHECK(t.stages[1].out == t.stages[2].in);
  CHECK(t.stages[2].out == 1000);
  // 100 agreement mentions over 4 city pairs, one date each: 4 events, 100 sources.
  CHECK(t.events_new == 4);
  CHECK(t.events_merged == 96);
  auto counts = (*store)->Counts();
  REQUIRE(counts.ok());
  CHECK(counts->articles == 1000);
  CHECK(counts->events == 4);
  CHECK(counts->sources == 100);
}

TEST_CASE("ingesting the same files again changes nothing") {
  Fixture f;
  tw::test::TempDir dir;
  WriteCorpus(dir / "in", 50);
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  LineTotals first = RunIngest({dir / "in"}, f.cleaner, *f.extractor, **store, IngestOptions{}, nullptr);
  CHECK(first.stored == 50);
  auto before = QueryEvents(**store, EventFilter{});
  REQUIRE(before.ok());
  LineTotals second = RunIngest({dir / "in"}, f.cleaner, *f.extractor, **store, IngestOptions{}, nullptr);
  CHECK(second.read == 50);
  CHECK(second.stored == 0);
  CHECK(second.duplicates == 50);
  CHECK(second.events_new == 0);
  CHECK(second.events_merged == 0);
  auto after = QueryEvents(**store, EventFilter{});
  REQUIRE(after.ok());
  REQUIRE(after->size() == before->size());
  for (size_t i = 0; i < after->size(); ++i) {
    CHECK((*after)[i].id == (*before)[i].id);
    CHECK((*after)[i].sources.size() == (*before)[i].sources.size());
  }
}

TEST_CASE("a stop request ends reading early, and what was read is still stored") {
  Fixture f;
  tw::test::TempDir dir;
  WriteCorpus(dir / "in", 3000);
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  std::atomic<bool> stop{false};
  IngestOptions options;
  options.line.queue_capacity = 2;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    stop = true;
  });
  LineTotals t = RunIngest({dir / "in"}, f.cleaner, *f.extractor, **store, options, &stop);
  stopper.join();
  CHECK(t.read < 3000);
  CHECK(t.stored == t.read);  // nothing accepted was dropped
  auto counts = (*store)->Counts();
  REQUIRE(counts.ok());
  CHECK(counts->articles == t.stored);
}

TEST_CASE("a document that fails in one stage is counted and the rest go on") {
  Fixture f;
  tw::test::TempDir dir;
  WriteCorpus(dir / "in", 20);
  tw::test::WriteFile(dir / "in/empty.html", "");
  std::string junk(3000, '\0');
  tw::test::WriteFile(dir / "in/junk.html", junk);
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  LineTotals t = RunIngest({dir / "in", dir / "missing-folder"}, f.cleaner, *f.extractor, **store, IngestOptions{}, nullptr);
  CHECK(t.stored == 20);
  CHECK(t.failed == 3);
  CHECK(t.read == 23);
}
