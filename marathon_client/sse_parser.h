#pragma once

// Incremental parser for a `text/event-stream` body (the WHATWG server-sent events format as
// Marathon writes it: `event: <type>\ndata: <json>\n\n`). Chunks may split lines anywhere. Pure.

#include <functional>
#include <string>
#include <string_view>

namespace ceph_planner::marathon {

struct SseFrame {
  std::string event;  // `message` when the frame names none.
  std::string data;   // Multiple `data:` lines joined with '\n'.
};

class SseParser {
 public:
  using FrameCallback = std::function<void(const SseFrame&)>;

  // Consumes `chunk`, calling `onFrame` for every frame completed by it (a blank line ends a
  // frame; frames without data are dropped, comments `:...` ignored).
  void feed(std::string_view chunk, const FrameCallback& onFrame);

 private:
  void line(std::string_view text, const FrameCallback& onFrame);

  std::string pending_;  // An incomplete line carried to the next chunk.
  std::string event_;
  std::string data_;
  bool hasData_ = false;
};

}  // namespace ceph_planner::marathon
