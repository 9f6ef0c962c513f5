#include "topology/placement.h"

#include <array>
#include <cctype>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include "common/strings.h"

namespace ceph_planner::topology {
namespace {

// An address as 16 bytes; IPv4 uses the first 4.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool v6 = false;
  int bits() const { return v6 ? 128 : 32; }
};

bool parseIpv4(std::string_view text, uint8_t* out) {
  auto parts = splitString(text, '.');
  if (parts.size() != 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    const std::string& p = parts[i];
    if (p.empty() || p.size() > 3) return false;
    if (p.size() > 1 && p[0] == '0') return false;  // No octal-looking octets.
    int v = 0;
    for (char c : p) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      v = v * 10 + (c - '0');
    }
    if (v > 255) return false;
    out[i] = static_cast<uint8_t>(v);
  }
  return true;
}

// Parses one side of `::` into 16-bit groups; an IPv4 tail counts as two groups.
bool parseGroups(std::string_view text, std::vector<uint16_t>* groups, bool allowV4Tail) {
  if (text.empty()) return true;
  auto parts = splitString(text, ':');
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (allowV4Tail && i + 1 == parts.size() && p.find('.') != std::string::npos) {
      uint8_t v4[4];
      if (!parseIpv4(p, v4)) return false;
      groups->push_back(static_cast<uint16_t>(v4[0] << 8 | v4[1]));
      groups->push_back(static_cast<uint16_t>(v4[2] << 8 | v4[3]));
      continue;
    }
    if (p.empty() || p.size() > 4) return false;
    unsigned v = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v, 16);
    if (ec != std::errc() || end != p.data() + p.size()) return false;
    groups->push_back(static_cast<uint16_t>(v));
  }
  return true;
}

bool parseIpv6(std::string_view text, uint8_t* out) {
  std::vector<uint16_t> head;
  std::vector<uint16_t> tail;
  size_t gap = text.find("::");
  if (gap != std::string_view::npos) {
    if (text.find("::", gap + 1) != std::string_view::npos) return false;
    if (!parseGroups(text.substr(0, gap), &head, false)) return false;
    if (!parseGroups(text.substr(gap + 2), &tail, true)) return false;
    if (head.size() + tail.size() > 7) return false;
  } else {
    if (!parseGroups(text, &head, true)) return false;
    if (head.size() != 8) return false;
  }
  std::array<uint16_t, 8> groups{};
  for (size_t i = 0; i < head.size(); ++i) groups[i] = head[i];
  for (size_t i = 0; i < tail.size(); ++i) groups[8 - tail.size() + i] = tail[i];
  for (size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xff);
  }
  return true;
}

bool parseIp(std::string_view text, IpAddress* ip) {
  if (text.find(':') != std::string_view::npos) {
    ip->v6 = true;
    return parseIpv6(text, ip->bytes.data());
  }
  ip->v6 = false;
  return parseIpv4(text, ip->bytes.data());
}

bool parseCidr(std::string_view text, IpAddress* network, int* prefix) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  if (!parseIp(text.substr(0, slash), network)) return false;
  std::string_view bits = text.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return false;
  int v = 0;
  auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), v);
  if (ec != std::errc() || end != bits.data() + bits.size()) return false;
  if (v < 0 || v > network->bits()) return false;
  *prefix = v;
  return true;
}

bool samePrefix(const IpAddress& a, const IpAddress& b, int prefix) {
  int full = prefix / 8;
  for (int i = 0; i < full; ++i) {
    if (a.bytes[static_cast<size_t>(i)] != b.bytes[static_cast<size_t>(i)]) return false;
  }
  int rest = prefix % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[static_cast<size_t>(full)] & mask) == (b.bytes[static_cast<size_t>(full)] & mask);
}

std::optional<std::string> addressIn(const std::vector<std::string>& cidrs,
                                     const std::string& explicitIp, const Host& host,
                                     const Inventory& inventory) {
  if (!explicitIp.empty()) return explicitIp;
  const std::vector<std::string>* addresses = &host.addresses;
  if (addresses->empty()) {
    auto it = inventory.find(host.name);
    if (it != inventory.end()) addresses = &it->second.addresses;
  }
  for (const auto& address : *addresses) {
    for (const auto& cidr : cidrs) {
      if (cidrContains(cidr, address)) return address;
    }
  }
  return std::nullopt;
}

bool hasLabel(const Host& host, const std::string& label) {
  for (const auto& l : host.labels) {
    if (l == label) return true;
  }
  return false;
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0;
  size_t t = 0;
  size_t starP = std::string_view::npos;
  size_t starT = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starT = t;
    } else if (starP != std::string_view::npos) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<const Host*> resolvePlacement(const Topology& topology, const Placement& placement) {
  std::vector<const Host*> out;
  if (!placement.hosts.empty()) {
    std::unordered_map<std::string_view, const Host*> byName;
    byName.reserve(topology.hosts.size());
    for (const auto& host : topology.hosts) byName.emplace(host.name, &host);
    std::unordered_set<const Host*> seen;
    for (const auto& name : placement.hosts) {
      auto it = byName.find(name);
      if (it == byName.end()) continue;
      if (seen.insert(it->second).second) out.push_back(it->second);
    }
  } else if (!placement.label.empty() || !placement.hostPattern.empty()) {
    for (const auto& host : topology.hosts) {
      if (!placement.label.empty() && !hasLabel(host, placement.label)) continue;
      if (!placement.hostPattern.empty() && !globMatch(placement.hostPattern, host.name)) continue;
      out.push_back(&host);
    }
  }
  if (placement.count && *placement.count >= 0 &&
      out.size() > static_cast<size_t>(*placement.count)) {
    out.resize(static_cast<size_t>(*placement.count));
  }
  return out;
}

std::string shortHostName(std::string_view hostName) {
  return toLower(hostName.substr(0, hostName.find('.')));
}

std::optional<std::string> publicAddress(const Topology& topology, const Host& host,
                                         const Inventory& inventory) {
  return addressIn(topology.networks.publicCidrs, host.publicIp, host, inventory);
}

std::optional<std::string> clusterAddress(const Topology& topology, const Host& host,
                                          const Inventory& inventory) {
  return addressIn(topology.networks.clusterCidrs, host.clusterIp, host, inventory);
}

bool cidrContains(std::string_view cidr, std::string_view address) {
  IpAddress network;
  int prefix = 0;
  if (!parseCidr(cidr, &network, &prefix)) return false;
  IpAddress ip;
  if (!parseIp(address, &ip) || ip.v6 != network.v6) return false;
  return samePrefix(network, ip, prefix);
}

bool isValidCidr(std::string_view cidr) {
  IpAddress network;
  int prefix = 0;
  return parseCidr(cidr, &network, &prefix);
}

bool isValidIpAddress(std::string_view address) {
  IpAddress ip;
  return parseIp(address, &ip);
}

}  // namespace ceph_planner::topology
