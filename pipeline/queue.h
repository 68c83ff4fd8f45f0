// Queue<T>: the only way stages talk to each other. Kept small so a message broker can replace the
// in-memory implementation for multi-machine deployments.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace tw {

template <typename T>
class Queue {
 public:
  virtual ~Queue() = default;
  // Blocks while the queue is full. Returns false (and drops nothing it had) once closed: the item
  // was not accepted and stays with the caller.
  virtual bool Push(T& item) = 0;
  // Convenience for temporaries: the item is lost if the queue is closed.
  bool Push(T&& item) { return Push(item); }
  // Blocks while the queue is empty and open. Returns nullopt once closed and drained.
  virtual std::optional<T> Pop() = 0;
  // No more pushes; poppers drain what is left, then see nullopt. Wakes every waiter. Idempotent.
  virtual void Close() = 0;
  virtual bool closed() const = 0;
  virtual size_t size() const = 0;
  virtual size_t capacity() const = 0;
};

// Bounded multi-producer multi-consumer queue: a full queue blocks its producers (backpressure).
template <typename T>
class BoundedQueue final : public Queue<T> {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  bool Push(T& item) override {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    lock.unlock();
    not_empty_.notify_one();
    return true;
  }

  using Queue<T>::Push;

  std::optional<T> Pop() override {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;  // closed and drained
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    lock.unlock();
    not_full_.notify_one();
    return item;
  }

  void Close() override {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  bool closed() const override {
    std::lock_guard lock(mu_);
    return closed_;
  }
  size_t size() const override {
    std::lock_guard lock(mu_);
    return items_.size();
  }
  size_t capacity() const override { return capacity_; }

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace tw
