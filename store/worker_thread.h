#pragma once

// `WorkerThread`: one thread running posted tasks in order. The ZooKeeper store uses it to keep
// synchronous calls and user callbacks off the client library's own threads (which must never
// block on a synchronous call of their handle). Header-only; no ZooKeeper types.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace ceph_planner::store {

// Runs tasks one at a time, in order. `stop` drops queued tasks and joins (a running task
// finishes first).
class WorkerThread {
 public:
  WorkerThread() : thread_([this] { loop(); }) {}
  ~WorkerThread() { stop(); }

  void post(std::function<void()> task) {
    std::lock_guard<std::mutex> g(m_);
    if (stopping_) return;
    tasks_.push_back(std::move(task));
    cv_.notify_all();
  }

  // Runs `task` on the worker and waits for it (inline when already on the worker).
  void runAndWait(std::function<void()> task) {
    if (onWorker()) {
      task();
      return;
    }
    std::mutex doneMutex;
    std::condition_variable doneCv;
    bool done = false;
    post([&] {
      task();
      std::lock_guard<std::mutex> g(doneMutex);
      done = true;
      doneCv.notify_all();
    });
    std::unique_lock<std::mutex> l(doneMutex);
    // A stopped worker drops tasks: do not wait forever then.
    while (!done) {
      if (doneCv.wait_for(l, std::chrono::milliseconds(100), [&] { return done; })) break;
      std::lock_guard<std::mutex> g(m_);
      if (stopping_ && !running_) break;
    }
  }

  bool onWorker() const { return std::this_thread::get_id() == thread_.get_id(); }
  bool stopping() {
    std::lock_guard<std::mutex> g(m_);
    return stopping_;
  }

  void stop() {
    {
      std::lock_guard<std::mutex> g(m_);
      if (stopping_ && !thread_.joinable()) return;
      stopping_ = true;
      cv_.notify_all();
    }
    if (thread_.joinable() && !onWorker()) thread_.join();
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> l(m_);
    for (;;) {
      cv_.wait(l, [&] { return stopping_ || !tasks_.empty(); });
      if (stopping_) return;
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      running_ = true;
      l.unlock();
      task();
      l.lock();
      running_ = false;
    }
  }

  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  bool running_ = false;
  std::thread thread_;
};

}  // namespace ceph_planner::store
