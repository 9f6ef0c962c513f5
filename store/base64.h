#pragma once

// Standard base64 (RFC 4648, with `=` padding), as used by Ceph keyrings and ZooKeeper digest ids.

#include <optional>
#include <string>
#include <string_view>

namespace ceph_planner::store {

std::string base64Encode(std::string_view bytes);

// `std::nullopt` if `text` is not canonical padded base64.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace ceph_planner::store
