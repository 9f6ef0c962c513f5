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
DECLARE_string(marathon);
DECLARE_string(marathon_auth);
DECLARE_string(marathon_credentials_file);
DECLARE_string(marathon_credentials_env);
DECLARE_string(marathon_ca_file);
DECLARE_int32(marathon_timeout);
DECLARE_string(chronos);
DECLARE_string(chronos_auth);
DECLARE_string(chronos_credentials_file);
DECLARE_string(chronos_credentials_env);
DECLARE_string(chronos_ca_file);
DECLARE_int32(chronos_timeout);
DECLARE_string(chronos_job_binary);
DECLARE_string(zk);
DECLARE_string(zk_credentials_file);
DECLARE_string(zk_session_timeout);
DECLARE_string(state_dir);
DECLARE_bool(yes);
DECLARE_bool(force);
DECLARE_bool(dry_run);
DECLARE_string(message);
DECLARE_int64(planned_version);
DECLARE_string(step_timeout);
DECLARE_string(lock_timeout);
DECLARE_string(cluster);
DECLARE_bool(yes_i_really_mean_it);
DECLARE_int64(to);
DECLARE_int64(show_version);
DECLARE_string(secret);
DECLARE_bool(skip_rgw_spread);
DECLARE_bool(skip_data_balance);
DECLARE_string(ceph_binary);
DECLARE_string(ceph_conf);
DECLARE_string(ceph_name);
DECLARE_string(ceph_keyring);
DECLARE_string(ceph_timeout);
DECLARE_string(rgw_wait_timeout);
DECLARE_int32(reweight_overload);
DECLARE_double(reweight_max_change);
DECLARE_int32(reweight_max_osds);
DECLARE_string(listen);
DECLARE_string(api_token_file);
DECLARE_string(resync_interval);
DECLARE_string(rgw_metrics_url);
DECLARE_string(rgw_metric);
DECLARE_string(host);
DECLARE_string(from);
DECLARE_string(ceph_volume_binary);
DECLARE_string(ceph_volume_timeout);
