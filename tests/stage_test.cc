#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <string>

#include "pipeline/stage.h"

using namespace tw;

TEST_CASE("stage runner passes results on, counts failures and duplicates, and closes its output") {
  BoundedQueue<int> in(8);
  BoundedQueue<std::string> out(8);
  StageCounters counters("square");
  std::mutex mu;
  std::vector<std::string> errors;
  StageRunner<int, std::string> stage(
      counters, 3, in, &out,
      [](int& x) -> Result<std::string> {
        if (x % 10 == 3) return Status::InvalidArgument("item " + std::to_string(x) + " is bad");
        if (x % 10 == 7) return Status::Duplicate("seen");
        return std::to_string(x * x);
      },
      [&](const Status& st) {
        std::lock_guard lock(mu);
        errors.push_back(st.message());
      });
  stage.Start();
  std::atomic<int> refused{0};  // counted, not asserted, off the test's thread (Catch2 is not thread-safe)
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) refused += !in.Push(i);
    in.Close();
  });
  std::multiset<std::string> results;
  while (auto r = out.Pop()) results.insert(*r);  // ends only because the stage closed `out`
  producer.join();
  stage.Join();
  CHECK(refused == 0);

  auto snap = Snapshot(counters);
  CHECK(snap.in == 100);
  CHECK(snap.failed == 10);
  CHECK(snap.skipped == 10);
  CHECK(snap.out == 80);
  CHECK(results.size() == 80);
  CHECK(results.count("16") == 1);
  CHECK(results.count("9") == 0);
  CHECK(errors.size() == 10);
  CHECK(snap.in == snap.out + snap.failed + snap.skipped);
}

TEST_CASE("a sink stage (no output queue) still counts what it consumed") {
  BoundedQueue<int> in(4);
  StageCounters counters("sink");
  std::atomic<int> total{0};
  StageRunner<int, int> stage(
      counters, 1, in, nullptr, [&](int& x) -> Result<int> { total += x; return x; }, nullptr);
  stage.Start();
  for (int i = 1; i <= 10; ++i) REQUIRE(in.Push(i));
  in.Close();
  stage.Join();
  CHECK(total == 55);
  CHECK(Snapshot(counters).out == 10);
}
