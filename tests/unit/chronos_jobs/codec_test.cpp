// The Chronos job codec and error mapping against Chronos-shaped payloads (API.md §2-3).

#include <gtest/gtest.h>

#include "chronos_client/chronos_errors.h"
#include "chronos_client/chronos_json.h"
#include "common/testing.h"
#include "planner/jobs.h"

namespace ceph_planner::chronos {
namespace {

// A job as Chronos 3.x prints it (every field, serializer order, server rewrote the schedule).
constexpr const char* kListed = R"([{
  "name":"ceph-planner-c1-inventory-h1","command":"ceph-planner inventory --cluster c1 --host h1",
  "shell":true,"executor":"","executorFlags":"","taskInfoData":"","retries":1,"owner":"",
  "ownerName":"ceph-planner/c1","description":"d","successCount":3,"errorCount":1,
  "lastSuccess":"2026-11-22T03:00:00.123Z","lastError":"2026-11-22T01:00:00.000Z","cpus":0.1,
  "disk":128.0,"mem":256.0,"disabled":false,"softError":false,"dataProcessingJobType":false,
  "errorsSinceLastSuccess":0,"fetch":[],"uris":[],"environmentVariables":[],"arguments":[],
  "highPriority":false,"runAsUser":"root","concurrent":false,"maxCompletionTime":0,
  "constraints":[["hostname","EQUALS","h1"]],
  "schedule":"R/2026-11-22T04:00:00.000Z/PT1H","scheduleTimeZone":""
}, {"name":"child","command":"true","parents":["b","a"],"cpus":"0.5","mem":0,"disk":0,
    "container":{"type":"DOCKER","image":"busybox","network":"HOST","volumes":[
      {"containerPath":"/c","hostPath":"/h","mode":"RO"}],"forcePullImage":"true"}}])";

TEST(ChronosJsonTest, DecodesAListedJobWithServerFields) {
  auto jobs = jobsFromJson(kListed);
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->size(), 2u);
  const planner::JobSpec& j = jobs->at(0);
  EXPECT_EQ(j.name, "ceph-planner-c1-inventory-h1");
  EXPECT_EQ(j.ownerName, "ceph-planner/c1");
  EXPECT_EQ(j.successCount, 3);
  EXPECT_EQ(j.errorCount, 1);
  EXPECT_EQ(j.lastSuccess, "2026-11-22T03:00:00.123Z");
  EXPECT_EQ(j.retries, 1);
  EXPECT_EQ(j.mem, 256);
  std::vector<std::vector<std::string>> constraints = {{"hostname", "EQUALS", "h1"}};
  EXPECT_EQ(j.constraints, constraints);
  EXPECT_FALSE(j.container.has_value());

  const planner::JobSpec& c = jobs->at(1);
  EXPECT_EQ(c.parents, (std::vector<std::string>{"b", "a"}));
  EXPECT_DOUBLE_EQ(c.cpus, 0.5);  // Chronos reads numbers written as text.
  EXPECT_TRUE(c.shell);           // Default when absent.
  EXPECT_EQ(c.retries, 2);
  ASSERT_TRUE(c.container.has_value());
  EXPECT_EQ(c.container->image, "busybox");
  EXPECT_TRUE(c.container->forcePullImage);
  ASSERT_EQ(c.container->volumes.size(), 1u);
  EXPECT_EQ(c.container->volumes[0].mode, "RO");
}

TEST(ChronosJsonTest, EncodeDecodeRoundTripKeepsEveryOwnedField) {
  planner::JobSpec job;
  job.name = "ceph-planner-c1-x";
  job.command = "echo 'hi'";
  job.schedule = "R5/2030-01-01T00:00:00Z/P1D";
  job.scheduleTimeZone = "Europe/Paris";
  job.ownerName = "ceph-planner/c1";
  job.constraints = {{"hostname", "EQUALS", "h1"}};
  job.environmentVariables = {{"A", "1"}};
  job.container = planner::JobContainer{"MESOS", "img", "BRIDGE", {{"/c", "", "RW"}}, true};
  job.successCount = 9;
  std::string body = jobToJson(job);
  EXPECT_EQ(body.find("null"), std::string::npos) << body;  // Chronos stores null as "null".
  EXPECT_EQ(body.find("parents"), std::string::npos) << body;
  auto back = jobFromJson(body);
  ASSERT_OK(back);
  EXPECT_TRUE(planner::compareJobs(job, back.value()).empty());
  EXPECT_EQ(back->successCount, 9);

  planner::JobSpec dependent = job;
  dependent.schedule.clear();
  dependent.parents = {"p"};
  std::string dependentBody = jobToJson(dependent);
  EXPECT_EQ(dependentBody.find("\"schedule\""), std::string::npos) << dependentBody;
  EXPECT_EQ(jobFromJson(dependentBody)->parents, std::vector<std::string>{"p"});
}

TEST(ChronosJsonTest, NonJsonIsInvalidInput) {
  EXPECT_ERROR_CODE(jobFromJson("<html>"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(jobsFromJson("{}"), ErrorCode::InvalidInput);
}

TEST(ChronosErrorsTest, ChronosShapesMapToCodes) {
  Error notFound = errorFromChronosResponse(
      400,
      R"json({"status":"Bad Request","message":"java.lang.IllegalArgumentException: requirement failed: Job 'x' not found\n\tat scala.Predef"})json");
  EXPECT_EQ(notFound.code, ErrorCode::NotFound);
  EXPECT_EQ(notFound.message, "chronos answered 400: \"Job 'x' not found\"");
  Error schedule = errorFromChronosResponse(
      400, R"json({"status":"Bad Request","message":"Cannot parse schedule 'x' (wtf bro)"})json");
  EXPECT_EQ(schedule.code, ErrorCode::InvalidInput);
  EXPECT_NE(schedule.message.find("Cannot parse schedule 'x'"), std::string::npos);
  // Only Chronos's unknown-name messages mean NotFound; a missing parent is invalid input.
  EXPECT_EQ(errorFromChronosResponse(400, chronosErrorBody(400, "JobSchedule 'x' not found")).code,
            ErrorCode::NotFound);
  EXPECT_EQ(
      errorFromChronosResponse(400, chronosErrorBody(400, "parent job 'p' of 'x' not found")).code,
      ErrorCode::InvalidInput);
  EXPECT_EQ(errorFromChronosResponse(500, "<html><body>Error 500</body></html>").code,
            ErrorCode::Unavailable);
  EXPECT_EQ(errorFromChronosResponse(503, "").code, ErrorCode::Unavailable);
  EXPECT_EQ(errorFromChronosResponse(401, "").code, ErrorCode::PermissionDenied);
  EXPECT_EQ(errorFromChronosResponse(405, "").code, ErrorCode::InvalidInput);
  EXPECT_EQ(errorFromChronosResponse(504, "").code, ErrorCode::Timeout);
  Error own = errorFromChronosResponse(400, chronosErrorBody(400, "bad thing"));
  EXPECT_EQ(own.message, "chronos answered 400: \"bad thing\"");
}

}  // namespace
}  // namespace ceph_planner::chronos
