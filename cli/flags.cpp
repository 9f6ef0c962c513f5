#include "cli/flags.h"

DEFINE_string(templates, "", "directory of template overrides (<runtime>/<role>.json)");
DEFINE_string(bootstrap_url, "", "base URL from which tasks fetch ceph.conf and keyrings");
DEFINE_string(out, "", "render: write one JSON file per app below this directory");
DEFINE_string(observed, "", "plan: saved Marathon group JSON to diff against");
DEFINE_string(output, "text", "plan: output format, text or json");
DEFINE_string(o, "", "short for --output");
DEFINE_bool(detailed_exitcode, false, "plan: exit 0 without changes, 1 on error, 2 with changes");
DEFINE_bool(show_unchanged, false, "plan: also list apps that need no change");
DEFINE_string(color, "auto", "colour the plan: auto (on a terminal), always or never");
DEFINE_bool(quiet, false, "validate: print nothing when the topology is valid");
