// What the VM benchmarks share: reading a workload file and the quantile of their pair ratios.
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gilbench::bench {

// The text of workloads/NAME (GILBENCH_WORKLOAD_DIR is set by bench/CMakeLists.txt).
inline std::string ReadWorkload(const std::string& name) {
  std::ifstream in(std::string(GILBENCH_WORKLOAD_DIR) + "/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The q-quantile (0..1) of `v`, nearest rank. Requires: v not empty.
inline double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

}  // namespace gilbench::bench
