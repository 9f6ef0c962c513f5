#include "planner/templates.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/testing.h"

namespace ceph_planner::planner {
namespace {

using topology::Runtime;

std::vector<std::pair<std::string_view, std::string>> allVars(Role role) {
  std::vector<std::pair<std::string_view, std::string>> vars;
  for (const auto& name : TemplateSet::placeholderNames(role))
    vars.emplace_back(name, "<" + name + ">");
  return vars;
}

TEST(TemplatesTest, BuiltinsCoverEveryRuntimeAndRole) {
  const TemplateSet& set = TemplateSet::builtin();
  EXPECT_EQ(TemplateSet::builtinFiles().size(), 8u);
  for (Runtime runtime : {Runtime::Docker, Runtime::Host}) {
    for (Role role : {Role::Mon, Role::Mgr, Role::Osd, Role::Rgw}) {
      EXPECT_TRUE(set.has({runtime, role})) << TemplateSet::fileName({runtime, role});
      auto app = set.instantiate({runtime, role}, allVars(role));
      ASSERT_OK(app);
      ASSERT_TRUE(app->cmd.has_value());
      EXPECT_EQ(app->cmd->str().find("{{"), std::string::npos) << *app->cmd;
      EXPECT_EQ(app->container.has_value(), runtime == Runtime::Docker);
      ASSERT_FALSE(app->healthChecks.empty());
      EXPECT_FALSE(app->fetch.empty());
      for (const auto& f : app->fetch) {
        const std::string uri = app->text(f.uri).str();
        EXPECT_EQ(uri.rfind("<files_url>/", 0), 0u) << uri;
      }
    }
  }
}

TEST(TemplatesTest, DockerOsdHasThePrivilegesCephVolumeNeeds) {
  auto app = TemplateSet::builtin().instantiate({Runtime::Docker, Role::Osd}, allVars(Role::Osd));
  ASSERT_OK(app);
  const Container& c = *app->container;
  EXPECT_EQ(c.image, "<image>");
  EXPECT_EQ(c.network, "HOST");
  EXPECT_TRUE(c.privileged);
  std::vector<std::string> params;
  for (const auto& p : c.parameters) params.push_back(p.key + "=" + p.value);
  EXPECT_NE(std::find(params.begin(), params.end(), "pid=host"), params.end());
  EXPECT_NE(std::find(params.begin(), params.end(), "ipc=host"), params.end());
  std::vector<std::string> mounts;
  for (const auto& v : c.volumes) mounts.push_back(v.hostPath + ":" + v.containerPath);
  for (const char* m :
       {"/dev:/dev", "/run/udev:/run/udev", "/run/lvm:/run/lvm", "/run/lock/lvm:/run/lock/lvm",
        "<data_dir>:/var/lib/ceph/osd", "/var/run/ceph/<cluster>:/var/run/ceph"}) {
    EXPECT_NE(std::find(mounts.begin(), mounts.end(), m), mounts.end()) << m;
  }
}

TEST(TemplatesTest, SubstitutesEveryOccurrence) {
  std::map<std::string, std::string> files = TemplateSet::builtinFiles();
  files["host/mgr.json"] =
      R"({"cmd": "a {{cluster}} b {{cluster}}{{daemon_id}}", "env": {"X": "{{short_host}}", "Y": "plain"},
          "fetch": [{"uri": "{{files_url}}/x"}]})";
  auto set = TemplateSet::fromFiles(files);
  ASSERT_OK(set);
  auto app = set->instantiate(
      {Runtime::Host, Role::Mgr},
      {{"cluster", "c1"}, {"daemon_id", "m"}, {"short_host", "h"}, {"files_url", "http://f"}});
  ASSERT_OK(app);
  EXPECT_EQ(*app->cmd, "a c1 b c1m");
  EXPECT_EQ(*findKeyValue(app->env, "X"), "h");
  EXPECT_EQ(*findKeyValue(app->env, "Y"), "plain");
  EXPECT_EQ(app->text(app->fetch[0].uri), "http://f/x");
}

// A list whose placeholders are all in TemplateTexts (uri, command) is the template's, shared by
// its instances with late texts; one with a placeholder in a plain string (destPath) is built per
// instance. Either way each instance spells its own values.
TEST(TemplatesTest, ListsAreSharedOnlyWhenEveryPlaceholderIsInATemplateText) {
  std::map<std::string, std::string> files = TemplateSet::builtinFiles();
  files["host/mgr.json"] = R"({"cmd": "run",
      "fetch": [{"uri": "{{files_url}}/x-{{daemon_id}}"}, {"uri": "u", "destPath": "d-{{daemon_id}}"}],
      "healthChecks": [{"protocol": "COMMAND", "command": {"value": "check {{daemon_id}}"}}]})";
  auto set = TemplateSet::fromFiles(files);
  ASSERT_OK(set);
  auto instance = [&](const char* daemonId) {
    auto app = set->instantiate({Runtime::Host, Role::Mgr},
                                {{"daemon_id", daemonId}, {"files_url", "http://f"}});
    EXPECT_OK(app);
    return std::move(app).value();
  };
  const AppSpec a = instance("a");
  const AppSpec b = instance("b");
  EXPECT_EQ(a.healthChecks.payload(), b.healthChecks.payload());
  EXPECT_TRUE(a.healthChecks[0].command.isLate());
  EXPECT_EQ(a.text(a.healthChecks[0].command), "check a");
  EXPECT_EQ(b.text(b.healthChecks[0].command), "check b");
  EXPECT_NE(a.fetch.payload(), b.fetch.payload());
  EXPECT_FALSE(a.fetch[0].uri.isLate());
  EXPECT_EQ(a.fetch[0].uri, "http://f/x-a");
  EXPECT_EQ(b.fetch[0].uri, "http://f/x-b");
  EXPECT_EQ(a.fetch[1].destPath, "d-a");
  EXPECT_EQ(b.fetch[1].destPath, "d-b");
  EXPECT_FALSE(sameFetch(a, b));
  EXPECT_FALSE(sameHealthChecks(a, b));
  EXPECT_TRUE(sameHealthChecks(a, instance("a")));

  // The built-in OSD templates share both lists.
  for (Runtime runtime : {Runtime::Docker, Runtime::Host}) {
    auto osd = TemplateSet::builtin().instantiate({runtime, Role::Osd}, allVars(Role::Osd));
    ASSERT_OK(osd);
    EXPECT_TRUE(osd->healthChecks[0].command.isLate());
    EXPECT_TRUE(std::all_of(osd->fetch.begin(), osd->fetch.end(),
                            [](const FetchUri& f) { return f.uri.isLate(); }));
  }
}

TEST(TemplatesTest, PlaceholderIndexIsThePositionInTheRolesList) {
  for (Role role : {Role::Mon, Role::Mgr, Role::Osd, Role::Rgw}) {
    const auto& names = TemplateSet::placeholderNames(role);
    for (std::size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(TemplateSet::placeholderIndex(role, names[i]), i) << names[i];
    }
  }
  EXPECT_EQ(TemplateSet::placeholderIndex(Role::Mon, "osd_slot"), TemplateSet::kNoPlaceholder);
  EXPECT_EQ(TemplateSet::placeholderIndex(Role::Osd, "zzz"), TemplateSet::kNoPlaceholder);
}

// The renderer passes one value per placeholder of the role, by position; a wrong count is a bug
// reported as an error, not a read past the values.
TEST(TemplatesTest, InstantiateIntoChecksTheValueCount) {
  const std::string_view few[] = {"a", "b"};
  AppSpec app;
  Status s = TemplateSet::builtin().instantiateInto({Runtime::Docker, Role::Osd},
                                                    TemplateText::Values(few, 2), nullptr, app);
  EXPECT_ERROR_CODE(s, ErrorCode::Internal);
}

TEST(TemplatesTest, InstantiateIntoReadsValuesByPosition) {
  const auto& names = TemplateSet::placeholderNames(Role::Osd);
  std::vector<std::string> texts;
  for (const auto& name : names) texts.push_back("<" + name + ">");
  std::vector<std::string_view> views(texts.begin(), texts.end());
  AppSpec byPosition;
  ASSERT_OK(TemplateSet::builtin().instantiateInto({Runtime::Docker, Role::Osd},
                                                   TemplateText::Values(views.data(), views.size()),
                                                   nullptr, byPosition));
  auto byName =
      TemplateSet::builtin().instantiate({Runtime::Docker, Role::Osd}, allVars(Role::Osd));
  ASSERT_OK(byName);
  EXPECT_EQ(byPosition, *byName);
}

TEST(TemplatesTest, MissingValueIsAnError) {
  auto app = TemplateSet::builtin().instantiate({Runtime::Host, Role::Mon}, {{"cluster", "c"}});
  EXPECT_ERROR_CODE(app, ErrorCode::InvalidInput);
  EXPECT_NE(app.error().message.find("host/mon.json"), std::string::npos) << app.error().message;
  EXPECT_NE(app.error().message.find("has no value"), std::string::npos) << app.error().message;
}

struct BadTemplateCase {
  const char* name;
  const char* file;
  const char* text;
  const char* expected;  // Substring of the error message.
};

class BadTemplateTest : public ::testing::TestWithParam<BadTemplateCase> {};

TEST_P(BadTemplateTest, IsRejectedWithFileAndField) {
  const auto& c = GetParam();
  auto set = TemplateSet::withOverrides({{c.file, c.text}});
  ASSERT_FALSE(set.has_value()) << c.name;
  EXPECT_EQ(set.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(set.error().message.find(c.expected), std::string::npos) << set.error().message;
  EXPECT_NE(set.error().message.find(c.file), std::string::npos) << set.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadTemplateTest,
    ::testing::Values(
        BadTemplateCase{"unknown_placeholder", "docker/mon.json", R"({"cmd": "run {{osd_slot}}"})",
                        "unknown placeholder '{{osd_slot}}' for role 'mon'"},
        BadTemplateCase{"placeholder_hint", "host/osd.json", R"({"cmd": "run {{data_devic}}"})",
                        "did you mean 'data_device'?"},
        BadTemplateCase{"malformed_placeholder", "host/mgr.json", R"({"cmd": "run {{ cluster }}"})",
                        "malformed placeholder"},
        BadTemplateCase{"unterminated_placeholder", "host/mgr.json", R"({"cmd": "run {{cluster"})",
                        "malformed placeholder"},
        BadTemplateCase{"renderer_owned", "host/rgw.json",
                        R"({"cmd": "x", "constraints": [["hostname", "UNIQUE"]]})",
                        "field 'constraints': is set by the renderer"},
        BadTemplateCase{
            "unknown_field", "host/rgw.json", R"({"cmd": "x", "healthCheck": []})",
            "field 'healthCheck': unknown or unsupported field (did you mean 'healthChecks'?)"},
        BadTemplateCase{
            "nested_unknown", "docker/rgw.json",
            R"({"cmd": "x", "container": {"type": "DOCKER", "docker": {"image": "i", "portMappings": []}}})",
            "field 'container.docker.portMappings'"},
        BadTemplateCase{"wrong_type", "host/mon.json",
                        R"({"cmd": "x", "taskKillGracePeriodSeconds": "60"})",
                        "field 'taskKillGracePeriodSeconds': expected a non-negative integer"},
        BadTemplateCase{"bad_protocol", "host/mon.json",
                        R"({"cmd": "x", "healthChecks": [{"protocol": "PING"}]})",
                        "field 'healthChecks[0].protocol': must be one of"},
        BadTemplateCase{"cmd_and_args", "host/mon.json", R"({"cmd": "x", "args": ["y"]})",
                        "either 'cmd' or 'args'"},
        BadTemplateCase{"no_command", "host/mon.json", R"({"env": {}})", "needs 'cmd', 'args'"},
        BadTemplateCase{"bad_json", "host/mon.json", R"({"cmd": )", "invalid JSON"},
        BadTemplateCase{"unknown_file", "docker/mds.json", R"({"cmd": "x"})",
                        "unknown template file"},
        BadTemplateCase{"placeholder_in_env_name", "host/mon.json",
                        R"({"cmd": "x", "env": {"{{cluster}}": "y"}})",
                        "placeholders are not allowed in variable names"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TemplatesTest, OverrideChangesOnlyWhatItOverrides) {
  const std::string custom =
      R"({"cmd": "exec my-mon {{daemon_id}}", "healthChecks": [{"protocol": "COMMAND",
          "command": {"value": "true"}, "intervalSeconds": 7}]})";
  auto set = TemplateSet::withOverrides({{"host/mon.json", custom}});
  ASSERT_OK(set);
  auto mon = set->instantiate({Runtime::Host, Role::Mon}, allVars(Role::Mon));
  ASSERT_OK(mon);
  EXPECT_EQ(*mon->cmd, "exec my-mon <daemon_id>");
  ASSERT_EQ(mon->healthChecks.size(), 1u);
  EXPECT_EQ(mon->healthChecks[0].intervalSeconds, 7);
  EXPECT_TRUE(mon->fetch.empty());
  // Every other template is the built-in one, unchanged.
  for (Runtime runtime : {Runtime::Docker, Runtime::Host}) {
    for (Role role : {Role::Mon, Role::Mgr, Role::Osd, Role::Rgw}) {
      if (runtime == Runtime::Host && role == Role::Mon) continue;
      auto a = set->instantiate({runtime, role}, allVars(role));
      auto b = TemplateSet::builtin().instantiate({runtime, role}, allVars(role));
      ASSERT_OK(a);
      ASSERT_OK(b);
      EXPECT_EQ(*a, *b) << TemplateSet::fileName({runtime, role});
    }
  }
}

TEST(TemplatesTest, FromFilesRequiresEveryTemplate) {
  auto set = TemplateSet::fromFiles({{"host/mon.json", R"({"cmd": "x"})"}});
  EXPECT_ERROR_CODE(set, ErrorCode::InvalidInput);
  EXPECT_NE(set.error().message.find("missing docker/mgr.json"), std::string::npos)
      << set.error().message;
}

TEST(TemplatesTest, CmdLinesAreJoinedWithNewlines) {
  auto set = TemplateSet::withOverrides(
      {{"host/mgr.json", R"({"cmd": ["set -e", "exec x {{cluster}}"]})"}});
  ASSERT_OK(set);
  auto app = set->instantiate({Runtime::Host, Role::Mgr}, {{"cluster", "c"}});
  ASSERT_OK(app);
  EXPECT_EQ(*app->cmd, "set -e\nexec x c");
}

}  // namespace
}  // namespace ceph_planner::planner
