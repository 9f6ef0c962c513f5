// gen_topology HOSTS [HDDS SSDS]: prints a generated topology (for scale tests and benchmarks).

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "bench/topology_gen.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_topology HOSTS [HDDS SSDS]\n");
    return 1;
  }
  ceph_planner::bench::GenOptions options;
  options.hosts = std::atoi(argv[1]);
  if (argc >= 4) {
    options.hdds = std::atoi(argv[2]);
    options.ssds = std::atoi(argv[3]);
  }
  if (options.hosts <= 0) {
    std::fprintf(stderr, "error: HOSTS must be a positive number\n");
    return 1;
  }
  std::cout << ceph_planner::bench::generateTopologyYaml(options);
  return 0;
}
