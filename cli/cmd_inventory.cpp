// `ceph-planner inventory`: puts one host's device inventory into the store (`inventory/<host>`),
// where validate/render/plan/apply and the daemon resolve OSD device filters against it for hosts
// without inline `devices:`. What the per-host Chronos inventory jobs run on each agent.
//
// Nothing is written unless the report parses: a broken ceph-volume run or a truncated file must
// never replace a good inventory (a host whose devices vanish would have its OSDs planned away).

#include <iostream>
#include <iterator>
#include <ostream>
#include <string>

#include "ceph/command_runner.h"
#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/wiring.h"
#include "common/strings.h"
#include "topology/ceph_volume_inventory.h"

namespace ceph_planner::cli {
namespace {

// Znode and file names: a Mesos agent hostname, never a path.
bool validHostName(const std::string& host) {
  if (host.empty() || host.size() > 253 || host[0] == '.' || host[0] == '-') return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool validClusterName(const std::string& cluster) {
  if (cluster.empty() || cluster.size() > 20) return false;
  for (char c : cluster) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// `14 devices (12 hdd, 2 ssd)`.
std::string describeDevices(const topology::HostInventory& inventory) {
  int hdd = 0;
  for (const auto& d : inventory.devices) hdd += d.rotational ? 1 : 0;
  size_t n = inventory.devices.size();
  return std::to_string(n) + (n == 1 ? " device (" : " devices (") + std::to_string(hdd) +
         " hdd, " + std::to_string(static_cast<int>(n) - hdd) + " ssd)";
}

// The report text: the `--from` file (`-` = stdin) or the output of `ceph-volume inventory`.
Result<std::string> readReport(const InventoryOptions& options, std::string* source) {
  if (options.fromFile == "-") {
    *source = "stdin";
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) return makeError(ErrorCode::Internal, "cannot read stdin");
    return text;
  }
  if (!options.fromFile.empty()) {
    *source = quoted(options.fromFile);
    return readFile(options.fromFile);
  }
  *source = "`" + options.cephVolumeBinary + " inventory --format json`";
  auto runner = ceph::makeProcessCommandRunner();
  auto ran = runner->run({options.cephVolumeBinary, "inventory", "--format", "json"},
                         std::chrono::seconds(options.cephVolumeTimeoutSeconds));
  if (!ran) return ran.error().withContext("cannot run " + *source);
  if (ran->exitCode != 0) {
    std::string detail = trim(ran->err);
    if (detail.size() > 2000) detail = "..." + detail.substr(detail.size() - 2000);
    return makeError(ErrorCode::Unavailable, *source + " exited with status " +
                                                 std::to_string(ran->exitCode) +
                                                 (detail.empty() ? "" : ": " + detail));
  }
  return std::move(ran->out);
}

int putHostInventory(const InventoryOptions& options, std::ostream& out, std::ostream& err) {
  std::string source;
  auto text = readReport(options, &source);
  if (!text) {
    err << "error: " << text.error().message << "\nnothing was stored\n";
    return kExitError;
  }
  auto parsed = topology::parseCephVolumeInventory(*text);
  if (!parsed) {
    err << "error: the inventory of host " << quoted(options.host) << " from " << source
        << " is not a ceph-volume inventory report: " << parsed.error().message
        << "\nnothing was stored\n";
    return kExitError;
  }
  if (text->size() > store::kMaxInventoryBytes) {
    err << "error: the inventory of host " << quoted(options.host) << " is " << text->size()
        << " bytes, above the store's limit of " << store::kMaxInventoryBytes
        << "\nnothing was stored\n";
    return kExitError;
  }
  auto opened = makeStore(options.store);
  if (!opened) {
    err << "error: " << opened.error().message << "\nnothing was stored\n";
    return kExitError;
  }
  if (Status put = opened->store->putInventory(options.cluster, options.host, *text); !put) {
    err << "error: cannot store the inventory of host " << quoted(options.host) << " in "
        << opened->description << ": " << put.error().message << "\n";
    return kExitError;
  }
  for (const auto& dropped : parsed->dropped) err << "ignored " << dropped << "\n";
  out << "stored inventory of host " << quoted(options.host) << ": "
      << describeDevices(parsed->inventory) << ", " << parsed->available << " available\n";
  return kExitOk;
}

// One line per host with a stored inventory; a stored text that no longer parses is shown as such
// (and makes the exit status 1), since validate/plan/apply would reject it too.
int listHostInventories(const InventoryOptions& options, std::ostream& out, std::ostream& err) {
  auto opened = makeStore(options.store);
  if (!opened) {
    err << "error: " << opened.error().message << "\n";
    return kExitError;
  }
  auto hosts = opened->store->listInventoryHosts(options.cluster);
  if (!hosts) {
    err << "error: cannot list the inventories of cluster " << quoted(options.cluster) << " in "
        << opened->description << ": " << hosts.error().message << "\n";
    return kExitError;
  }
  if (hosts->empty()) {
    err << "no inventory is stored for cluster " << quoted(options.cluster) << " in "
        << opened->description << "\n";
    return kExitOk;
  }
  int status = kExitOk;
  for (const auto& host : *hosts) {
    auto text = opened->store->getInventory(options.cluster, host);
    if (!text) {
      err << "error: cannot read the inventory of host " << quoted(host) << ": "
          << text.error().message << "\n";
      status = kExitError;
      continue;
    }
    auto parsed = topology::parseCephVolumeInventory(*text);
    if (!parsed) {
      out << host << ": invalid (" << parsed.error().message << ")\n";
      status = kExitError;
      continue;
    }
    out << host << ": " << describeDevices(parsed->inventory) << ", " << parsed->available
        << " available\n";
  }
  return status;
}

}  // namespace

int runInventory(const InventoryOptions& options, std::ostream& out, std::ostream& err) {
  if (!validClusterName(options.cluster)) {
    err << "error: inventory needs --cluster NAME ([a-z0-9-]{1,20}), got "
        << quoted(options.cluster) << "\n";
    return kExitError;
  }
  if (options.host.empty()) {
    if (!options.fromFile.empty()) {
      err << "error: --from needs --host HOST (whose inventory the file is)\n";
      return kExitError;
    }
    return listHostInventories(options, out, err);
  }
  if (!validHostName(options.host)) {
    err << "error: --host must be a host name ([A-Za-z0-9._-], not starting with '.' or '-'), got "
        << quoted(options.host) << "\n";
    return kExitError;
  }
  return putHostInventory(options, out, err);
}

}  // namespace ceph_planner::cli
