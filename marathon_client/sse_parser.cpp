#include "marathon_client/sse_parser.h"

namespace ceph_planner::marathon {

void SseParser::feed(std::string_view chunk, const FrameCallback& onFrame) {
  pending_.append(chunk);
  size_t start = 0;
  while (true) {
    auto nl = pending_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view text(pending_.data() + start, nl - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line(text, onFrame);
    start = nl + 1;
  }
  pending_.erase(0, start);
}

void SseParser::line(std::string_view text, const FrameCallback& onFrame) {
  if (text.empty()) {
    if (hasData_) onFrame(SseFrame{event_.empty() ? "message" : event_, data_});
    event_.clear();
    data_.clear();
    hasData_ = false;
    return;
  }
  if (text.front() == ':') return;
  auto colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "event") {
    event_ = value;
  } else if (field == "data") {
    if (hasData_) data_ += '\n';
    data_ += value;
    hasData_ = true;
  }
}

}  // namespace ceph_planner::marathon
