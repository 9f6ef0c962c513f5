#include "marathon_client/http_transport.h"

#include "common/strings.h"

namespace ceph_planner::marathon {

std::string HttpReply::header(std::string_view name) const {
  const std::string wanted = toLower(name);
  for (const auto& [key, value] : headers) {
    if (toLower(key) == wanted) return value;
  }
  return "";
}

}  // namespace ceph_planner::marathon
