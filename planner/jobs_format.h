#pragma once

// The jobs wave of a plan as text (a section of `plan`'s output) and as JSON (the `jobs` key of
// `plan -o json`). Pure.

#include <string>

#include "planner/jobs_spec.h"

namespace ceph_planner::planner {

// `# wave 5: chronos jobs ...` with one `+`/`~`/`-` line per job (updates list
// `field: before → after`), then the job conflicts; for a wave that was not planned, the one-line
// note. "" when `wave.shown()` is false.
std::string formatJobsText(const JobsWave& wave, bool showUnchanged);

// `Jobs: N to add, N to change, N to destroy.` ("" when the wave was not planned).
std::string jobsSummarySentence(const JobsWave& wave);

// `{"planned", "note", "chronos", "summary":{add,change,destroy,unchanged}, "actions":[{kind, name,
// schedule, parents, changes:[{field,before,after}]}], "conflicts":[{job,message}]}` as compact
// JSON text, keys in that order.
std::string formatJobsJson(const JobsWave& wave, bool showUnchanged);

}  // namespace ceph_planner::planner
