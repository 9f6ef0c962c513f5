#pragma once

// Typed parsing of what `ceph ... -f json` prints (Ceph 16.2 shapes; recorded samples in
// tests/testdata/ceph16). Pure functions over text, shared by `CliCephAdmin` and `FakeCephAdmin`.
// Unknown fields are ignored and missing optional ones keep their defaults, so newer releases that
// add fields still parse. Errors: `Internal` naming the command and what was wrong.

#include <string>

#include "ceph/ceph_admin.h"
#include "common/result.h"

namespace ceph_planner::ceph {

Result<HealthReport> parseHealth(const std::string& json);                   // health [detail]
Result<PgStat> parsePgStat(const std::string& json);                         // pg stat
Result<OsdDf> parseOsdDf(const std::string& json);                           // osd df
Result<BalancerStatus> parseBalancerStatus(const std::string& json);         // balancer status
Result<QuorumStatus> parseQuorumStatus(const std::string& json);             // quorum_status
Result<OkToStop> parseOkToStop(const std::string& json);                     // osd ok-to-stop
Result<SafeToDestroy> parseSafeToDestroy(const std::string& json);           // osd safe-to-destroy
Result<ReweightResult> parseReweightByUtilization(const std::string& json);  // [test-]reweight-...

}  // namespace ceph_planner::ceph
