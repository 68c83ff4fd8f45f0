// Catch2's assertions are not thread-safe: threads here only record what they saw (in atomics),
// and the test thread checks it after joining them (ThreadSanitizer, make test-tsan, holds us to it).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "pipeline/queue.h"

using tw::BoundedQueue;

TEST_CASE("queue keeps each producer's items in the order it pushed them") {
  BoundedQueue<std::pair<int, int>> q(16);
  constexpr int kProducers = 4, kItems = 20000;
  std::vector<std::thread> producers;
  std::atomic<int> refused{0};
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kItems; ++i) refused += !q.Push(std::make_pair(p, i));
    });
  }
  std::vector<int> next(kProducers, 0);
  for (int n = 0; n < kProducers * kItems; ++n) {
    auto item = q.Pop();
    REQUIRE(item.has_value());
    REQUIRE(item->second == next[item->first]);
    ++next[item->first];
  }
  for (auto& t : producers) t.join();
  CHECK(refused == 0);
  for (int p = 0; p < kProducers; ++p) CHECK(next[p] == kItems);
}

TEST_CASE("closing a queue wakes every blocked consumer and producer") {
  BoundedQueue<int> q(1);
  std::atomic<int> consumers_done{0}, items_popped{0};
  std::vector<std::thread> consumers;
  for (int i = 0; i < 4; ++i) {
    consumers.emplace_back([&] {
      auto item = q.Pop();  // blocks: the queue is empty
      items_popped += item.has_value();
      ++consumers_done;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  q.Close();
  for (auto& t : consumers) t.join();
  CHECK(consumers_done == 4);
  CHECK(items_popped == 0);

  BoundedQueue<int> full(1);
  REQUIRE(full.Push(1));
  std::atomic<bool> rejected{false};
  std::atomic<int> item_after{0};
  std::thread producer([&] {
    int item = 2;
    rejected = !full.Push(item);  // blocks: the queue is full
    item_after = item;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  full.Close();
  producer.join();
  CHECK(rejected);
  CHECK(item_after == 2);  // a rejected item stays with the caller
}

TEST_CASE("a closed queue still hands out what it holds, then reports the end") {
  BoundedQueue<int> q(8);
  for (int i = 0; i < 5; ++i) REQUIRE(q.Push(i));
  q.Close();
  int item = 99;
  CHECK_FALSE(q.Push(item));
  for (int i = 0; i < 5; ++i) {
    auto got = q.Pop();
    REQUIRE(got.has_value());
    CHECK(*got == i);
  }
  CHECK_FALSE(q.Pop().has_value());
  CHECK(q.closed());
}

TEST_CASE("no item is lost or duplicated with 8 producers and 8 consumers over 100k items each") {
  BoundedQueue<uint64_t> q(64);
  constexpr int kProducers = 8, kConsumers = 8;
  constexpr uint64_t kItems = 100000;
  std::vector<std::thread> threads;
  std::atomic<uint64_t> sum{0}, count{0};
  std::atomic<int> producers_left{kProducers}, refused{0};
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (uint64_t i = 0; i < kItems; ++i) refused += !q.Push(p * kItems + i);
      if (--producers_left == 0) q.Close();
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&] {
      uint64_t local_sum = 0, local_count = 0;
      while (auto item = q.Pop()) {
        local_sum += *item;
        ++local_count;
      }
      sum += local_sum;
      count += local_count;
    });
  }
  for (auto& t : threads) t.join();
  const uint64_t n = kProducers * kItems;
  CHECK(refused == 0);
  CHECK(count == n);
  CHECK(sum == n * (n - 1) / 2);  // every value 0..n-1 exactly once
}

TEST_CASE("a full queue blocks its producer until a consumer makes room (backpressure)") {
  BoundedQueue<int> q(2);
  REQUIRE(q.Push(1));
  REQUIRE(q.Push(2));
  std::atomic<bool> pushed{false};
  std::thread producer([&] { pushed = q.Push(3); });  // blocks until there is room
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(pushed);
  CHECK(q.size() == 2);
  CHECK(q.Pop().value() == 1);
  producer.join();
  CHECK(pushed);
  CHECK(q.size() == 2);
}
