// The workload table and how a job is split (workloads.h).
#include "harness/workloads.h"

#include <fstream>
#include <sstream>

namespace gilbench::harness {
namespace {

// countdown.py's seed size (20,000,000: the figure ANCHORS.md quotes for CPython) and a tenth of
// it, so that --size=quick runs the whole matrix in under a minute on 2 cores.
constexpr int64_t kCountdownFull = 20'000'000;
constexpr int64_t kCountdownQuick = 2'000'000;

// factorize.py's NUMBERS (checksum 7260864: the sum of all their divisors) and, for quick, each
// divided by ten (checksum computed with python3 once; the check catches any drift).
constexpr int64_t kFactorizeFull[] = {2139079, 1214759, 1516637, 1582285};
constexpr int64_t kFactorizeFullChecksum = 7260864;
constexpr int64_t kFactorizeQuick[] = {213907, 121475, 151663, 158228};
constexpr int64_t kFactorizeQuickChecksum = 842648;

WorkloadJob Countdown(Size size) {
  const int64_t n = size == Size::kFull ? kCountdownFull : kCountdownQuick;
  return WorkloadJob{"countdown", "countdown.py", "countdown", {{n}}, 0, n};
}

WorkloadJob Factorize(Size size) {
  WorkloadJob job{"factorize", "factorize.py", "factorize", {}, 0, 0};
  const bool full = size == Size::kFull;
  for (int64_t number : full ? kFactorizeFull : kFactorizeQuick) {
    job.calls.push_back({number});
    job.work_items += number;  // one trial division per candidate
  }
  job.expected_checksum = full ? kFactorizeFullChecksum : kFactorizeQuickChecksum;
  return job;
}

}  // namespace

const std::vector<std::string>& WorkloadNames() {
  static const std::vector<std::string> names = {"countdown", "factorize"};
  return names;
}

bool FindWorkload(std::string_view name, Size size, WorkloadJob* out) {
  if (name == "countdown") {
    *out = Countdown(size);
  } else if (name == "factorize") {
    *out = Factorize(size);
  } else {
    return false;
  }
  return true;
}

std::vector<std::vector<vm::WorkerCall>> Split(const WorkloadJob& job, int workers) {
  std::vector<std::vector<vm::WorkerCall>> parts(static_cast<size_t>(workers));
  if (job.calls.size() == 1 && job.calls[0].size() == 1) {
    // One count: cut it, as countdown.py's run_threaded does (the first takes the remainder).
    const int64_t total = job.calls[0][0];
    const int64_t share = total / workers;
    for (int i = 0; i < workers; ++i) {
      parts[static_cast<size_t>(i)].push_back({i == 0 ? total - share * (workers - 1) : share});
    }
    return parts;
  }
  for (size_t i = 0; i < job.calls.size(); ++i) {
    parts[i % static_cast<size_t>(workers)].push_back(job.calls[i]);
  }
  return parts;
}

bool ReadWorkloadSource(const std::string& dir, const WorkloadJob& job, std::string* source,
                        std::string* error) {
  const std::string path = dir + "/" + job.file;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read workload " + path + " (set --workload_dir= or GILBENCH_WORKLOAD_DIR)";
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  *source = text.str();
  return true;
}

}  // namespace gilbench::harness
