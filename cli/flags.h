#pragma once

// Command-line flags (gflags). Read only by cli/main.cpp; subcommands get plain option structs.

#include <gflags/gflags.h>

DECLARE_string(templates);
DECLARE_string(bootstrap_url);
DECLARE_string(out);
DECLARE_string(observed);
DECLARE_string(output);
DECLARE_string(o);
DECLARE_bool(detailed_exitcode);
DECLARE_bool(show_unchanged);
DECLARE_string(color);
DECLARE_bool(quiet);
