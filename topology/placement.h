#pragma once

// Placement resolution shared by validation and rendering. Deterministic: hosts come back in
// topology order, so the same input always places daemons on the same hosts.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "topology/inventory.h"
#include "topology/model.h"

namespace ceph_planner::topology {

// Hosts matched by `placement` (explicit `hosts` keep their listed order; `label` and
// `host_pattern` keep topology order), truncated to `count` when given. Unknown host names are
// skipped (validation reports them).
std::vector<const Host*> resolvePlacement(const Topology& topology, const Placement& placement);

// The first DNS label of a host name, lower-cased: the host part of Marathon ids.
std::string shortHostName(std::string_view hostName);

// The host's public (or cluster) address: the explicit override, else the first inventory address
// (inline `addresses` or `inventory`) inside one of the CIDRs. nullopt when there is none.
std::optional<std::string> publicAddress(const Topology& topology, const Host& host,
                                         const Inventory& inventory = {});
std::optional<std::string> clusterAddress(const Topology& topology, const Host& host,
                                          const Inventory& inventory = {});

// True when `address` (IPv4 or IPv6 text) lies inside `cidr` (`10.0.0.0/8`, `fd00::/64`).
// Malformed input is simply not contained.
bool cidrContains(std::string_view cidr, std::string_view address);

// Parses `cidr`; false when it is malformed.
bool isValidCidr(std::string_view cidr);
bool isValidIpAddress(std::string_view address);

// Shell-style glob (`*` any run, `?` one character; everything else literal), as cephadm uses for
// `host_pattern`, `model` and `vendor`. Linear in practice: backtracks only to the last `*`.
bool globMatch(std::string_view pattern, std::string_view text);

}  // namespace ceph_planner::topology
