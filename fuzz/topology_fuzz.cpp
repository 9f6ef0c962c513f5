// libFuzzer target: arbitrary bytes through the whole topology front end (parse, validate, device
// selection). Besides crashes and sanitizer reports it checks two invariants: a topology that
// validates cleanly yields only valid, per-host unique OSD slot names, and every diagnostic
// renders.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <unordered_set>

#include "topology/devices.h"
#include "topology/parse.h"

using ceph_planner::topology::DeviceSelection;
using ceph_planner::topology::isValidSlotName;
using ceph_planner::topology::loadTopology;
using ceph_planner::topology::ParsedTopology;
using ceph_planner::topology::resolveOsdSlots;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ParsedTopology parsed = loadTopology(text);
  for (const auto& d : parsed.diagnostics) {
    if (d.toString("fuzz.yaml").empty() || d.message.empty()) std::abort();
  }
  DeviceSelection selection = resolveOsdSlots(parsed.topology);
  if (parsed.ok()) {
    std::unordered_set<std::string> seen;
    for (const auto& slot : selection.slots) {
      if (!isValidSlotName(slot.slot)) std::abort();
      if (!seen.insert(std::string(slot.host) + "\n" + slot.slot).second) std::abort();
    }
  }
  return 0;
}
