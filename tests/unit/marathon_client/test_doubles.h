#pragma once

// Test doubles for the marathon client unit tests: a fake clock and a scripted transport.

#include <deque>
#include <mutex>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "marathon_client/http_transport.h"

namespace ceph_planner::marathon::testing {

// Time only moves when someone sleeps; every sleep is recorded.
class FakeClock final : public Clock {
 public:
  TimePoint now() const override { return TimePoint(now_); }
  Duration monotonic() const override { return now_; }
  void sleepFor(Duration d) override {
    sleeps.push_back(d);
    now_ += d;
  }
  std::vector<Duration> sleeps;

 private:
  Duration now_{1000000};
};

inline HttpReply reply(int status, std::string body, Headers headers = {}) {
  return HttpReply{status, std::move(headers), std::move(body)};
}

inline TransportError failure(TransportError::Kind kind, std::string message = "scripted") {
  return TransportError{kind, std::move(message)};
}

// Answers calls from a script, in order; records every call. Streams deliver the reply body as
// one chunk (for 2xx) and then end.
class ScriptedTransport final : public HttpTransport {
 public:
  void push(TransportResult r) { script_.push_back(std::move(r)); }

  TransportResult send(const HttpCall& call) override { return next(call); }

  TransportResult stream(const HttpCall& call, const std::function<void(std::string_view)>& onData,
                         std::stop_token) override {
    TransportResult r = next(call);
    if (auto* rep = std::get_if<HttpReply>(&r); rep && rep->status / 100 == 2) {
      onData(rep->body);
      rep->body.clear();
    }
    return r;
  }

  std::vector<HttpCall> calls;

 private:
  TransportResult next(const HttpCall& call) {
    calls.push_back(call);
    if (script_.empty()) return failure(TransportError::Kind::Failed, "script exhausted");
    TransportResult r = std::move(script_.front());
    script_.pop_front();
    return r;
  }
  std::deque<TransportResult> script_;
};

}  // namespace ceph_planner::marathon::testing
