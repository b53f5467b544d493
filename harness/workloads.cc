// The workload table, how a job is split and planned (workloads.h).
#include "harness/workloads.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/read_file.h"

namespace gilbench::harness {
namespace {

// Picks the figure for `size`: tests run tiny, --size=quick a tenth of full or so, so that the
// whole quick matrix stays within minutes on 2 cores.
// kLong takes full's figure except where a workload says otherwise (countdown).
int64_t BySize(Size size, int64_t tiny, int64_t quick, int64_t full) {
  return size == Size::kTiny ? tiny : size == Size::kQuick ? quick : full;
}

// countdown.py's seed size (20,000,000: the figure docs/background.md quotes for CPython) at full.
WorkloadJob Countdown(Size size) {
  const int64_t n =
      size == Size::kLong ? 150'000'000 : BySize(size, 200'000, 2'000'000, 20'000'000);
  return WorkloadJob{"countdown", "countdown.py", "countdown", {{n}}, 0, n};
}

// factorize.py's NUMBERS at full (checksum 7260864: the sum of all their divisors); quick and
// tiny divide each by 10 and 100 (checksums computed with python3 once; the check catches any
// drift).
WorkloadJob Factorize(Size size) {
  static const std::vector<int64_t> kFull = {2139079, 1214759, 1516637, 1582285};
  static const std::vector<int64_t> kQuick = {213907, 121475, 151663, 158228};
  static const std::vector<int64_t> kTiny = {21390, 12147, 15166, 15822};
  WorkloadJob job{"factorize", "factorize.py", "factorize", {}, 0, 0};
  const std::vector<int64_t>& numbers = size == Size::kTiny    ? kTiny
                                        : size == Size::kQuick ? kQuick
                                                               : kFull;
  for (int64_t number : numbers) {
    job.calls.push_back({number});
    job.work_items += number;  // one trial division per candidate
  }
  job.expected_checksum = BySize(size, 129528, 842648, 7260864);
  return job;
}

// sleep.py's nap(count, ms): count naps in all, returning count.
WorkloadJob Sleep(Size size) {
  const int64_t count = BySize(size, 4, 20, 100);
  const int64_t ms = BySize(size, 2, 5, 10);
  return WorkloadJob{"sleep", "sleep.py", "nap", {{count, ms}}, count, count};
}

// native.py's hash_blocks(count, 256): each block's digest starts with byte 19, so each block
// adds 20 to the result.
WorkloadJob Native(Size size) {
  constexpr int64_t kKib = 256;
  constexpr int64_t kPerBlock = 20;  // sha256(b"gilbench" * 32768).digest()[0] + 1
  const int64_t count = BySize(size, 16, 512, 4096);
  return WorkloadJob{"native",        "native.py",       "hash_blocks",
                     {{count, kKib}}, count * kPerBlock, count};
}

// pipe_io.py's relay(rfd, wfd, count, size): count messages of 1 KiB, each feeder producing one
// every 500 us, so one relay serving them all takes count * 0.5 ms.
WorkloadJob PipeIo(Size size) {
  constexpr int64_t kMessage = 1024;
  const int64_t count = BySize(size, 20, 200, 2000);
  WorkloadJob job{"pipe_io", "pipe_io.py", "relay", {{count, kMessage}}, count * kMessage, count};
  job.native = NativeKind::kPipeFeeders;
  job.interval_us = 500;
  job.message_size = kMessage;
  return job;
}

// The ccbench trio in io_trio.py: the I/O function (echo(rfd, wfd) or writer(wfd, ms)) beside
// burn(ms) threads, driven for ms by the native side.
WorkloadJob IoTrio(std::string name, Size size) {
  WorkloadJob job{std::move(name), "io_trio.py", "echo", {{}}, 0, 0};
  job.io_trio = true;
  job.duration_ms = BySize(size, 60, 300, 1000);
  if (job.name == "latency") {
    job.native = NativeKind::kLatencyClient;
    job.interval_us = BySize(size, 5000, 10000, 10000);
  } else if (job.name == "bandwidth") {
    job.native = NativeKind::kBandwidthClient;
  } else {
    job.native = NativeKind::kDrainer;
    job.function = "writer";
    job.calls = {{job.duration_ms}};
  }
  return job;
}

// A workload that makes its own threads or processes (WorkloadJob::spawner()): `function` for
// seq and processes; the caller names `threads_function` and/or `pool_function`.
WorkloadJob Spawner(std::string name, std::string file, std::string function, int64_t size_arg,
                    int64_t expected, int64_t work_items) {
  return WorkloadJob{std::move(name), std::move(file), std::move(function),
                     {{size_arg}},    expected,        work_items};
}

// factorize_class.py's factorize_class(n, divisor): factorize's numbers and checksums (quick and
// tiny divide the numbers by 10 and 100, as factorize's table does), in n Thread subclasses.
WorkloadJob FactorizeClass(Size size) {
  const WorkloadJob numbers = Factorize(size);
  WorkloadJob job =
      Spawner("factorize_class", "factorize_class.py", "factorize_class", BySize(size, 100, 10, 1),
              numbers.expected_checksum, numbers.work_items);
  job.threads_function = job.function;
  job.deal_by_index = true;
  return job;
}

// bank.py's bank(n, transfers): returns the transfers made when the money is conserved.
WorkloadJob Bank(Size size) {
  const int64_t transfers = BySize(size, 3'000, 100'000, 1'000'000);
  WorkloadJob job = Spawner("bank", "bank.py", "bank", transfers, transfers, transfers);
  job.threads_function = job.function;
  return job;
}

// pipeline.py's pipeline(n, items): the sum of the stages' results over range(items) (computed
// with python3 once; the check catches any drift).
WorkloadJob Pipeline(Size size) {
  const int64_t items = BySize(size, 500, 20'000, 200'000);
  WorkloadJob job = Spawner("pipeline", "pipeline.py", "pipeline", items,
                            BySize(size, 41'842'240, 9'792'940'750, 99'856'583'201), items);
  job.threads_function = job.function;
  job.deal_by_index = true;
  return job;
}

// pool.py's pool(n, count): countdown's count in 16 chunks over a multiprocessing.Pool of n.
WorkloadJob Pool(Size size) {
  const int64_t count = BySize(size, 200'000, 2'000'000, 20'000'000);
  WorkloadJob job = Spawner("pool", "pool.py", "pool", count, count, count);
  job.pool_function = job.function;
  return job;
}

// executor.py's thread_executor(n, divisor) and process_executor(n, divisor): factorize's
// numbers through a ThreadPoolExecutor (threads rows) or a ProcessPoolExecutor (pool rows).
WorkloadJob Executor(Size size) {
  const WorkloadJob numbers = Factorize(size);
  WorkloadJob job = Spawner("executor", "executor.py", "thread_executor", BySize(size, 100, 10, 1),
                            numbers.expected_checksum, numbers.work_items);
  job.threads_function = "thread_executor";
  job.pool_function = "process_executor";
  job.deal_by_index = true;
  return job;
}

}  // namespace

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kSeq:
      return "seq";
    case Mode::kThreads:
      return "threads";
    case Mode::kProcesses:
      return "processes";
    case Mode::kPool:
      return "pool";
  }
  return "?";
}

const char* SizeName(Size size) {
  switch (size) {
    case Size::kTiny:
      return "tiny";
    case Size::kQuick:
      return "quick";
    case Size::kFull:
      return "full";
    case Size::kLong:
      return "long";
  }
  return "?";
}

const std::vector<std::string>& WorkloadNames() {
  static const std::vector<std::string> names = {
      "countdown", "factorize",       "sleep", "native",   "pipe_io", "latency", "bandwidth",
      "convoy",    "factorize_class", "bank",  "pipeline", "pool",    "executor"};
  return names;
}

bool FindWorkload(std::string_view name, Size size, WorkloadJob* out) {
  if (name == "countdown") {
    *out = Countdown(size);
  } else if (name == "factorize") {
    *out = Factorize(size);
  } else if (name == "sleep") {
    *out = Sleep(size);
  } else if (name == "native") {
    *out = Native(size);
  } else if (name == "pipe_io") {
    *out = PipeIo(size);
  } else if (name == "latency" || name == "bandwidth" || name == "convoy") {
    *out = IoTrio(std::string(name), size);
  } else if (name == "factorize_class") {
    *out = FactorizeClass(size);
  } else if (name == "bank") {
    *out = Bank(size);
  } else if (name == "pipeline") {
    *out = Pipeline(size);
  } else if (name == "pool") {
    *out = Pool(size);
  } else if (name == "executor") {
    *out = Executor(size);
  } else {
    return false;
  }
  return true;
}

bool HasMode(const WorkloadJob& job, Mode mode) {
  switch (mode) {
    case Mode::kSeq:
      return !job.io_trio;
    case Mode::kThreads:
      return !job.spawner() || !job.threads_function.empty();
    case Mode::kProcesses:
      return true;
    case Mode::kPool:
      return !job.pool_function.empty();
  }
  return false;
}

bool RunsUnderPolicy(const WorkloadJob& job, const std::string& policy) {
  return !(job.spawner() && policy == "subinterp");
}

bool StartsItsOwn(const WorkloadJob& job, Mode mode) {
  return job.spawner() && (mode == Mode::kThreads || mode == Mode::kPool);
}

int WorkersFor(const WorkloadJob& job, Mode mode, int n) {
  if (StartsItsOwn(job, mode)) return 1;
  return job.io_trio ? n + 1 : n;
}

std::vector<std::vector<std::vector<int64_t>>> Split(const WorkloadJob& job, int workers) {
  std::vector<std::vector<std::vector<int64_t>>> parts(static_cast<size_t>(workers));
  if (job.calls.size() == 1 && !job.calls[0].empty()) {
    // One call: cut its first argument; the others go to every part unchanged.
    const int64_t total = job.calls[0][0];
    const int64_t share = total / workers;
    for (int i = 0; i < workers; ++i) {
      std::vector<int64_t> args = job.calls[0];
      args[0] = i == 0 ? total - share * (workers - 1) : share;
      parts[static_cast<size_t>(i)].push_back(std::move(args));
    }
    return parts;
  }
  for (size_t i = 0; i < job.calls.size(); ++i) {
    parts[i % static_cast<size_t>(workers)].push_back(job.calls[i]);
  }
  return parts;
}

namespace {

// A spawner's calls (WorkloadJob::spawner()): n goes first; seq and processes workers pass 1.
std::vector<std::vector<vm::WorkerCall>> PlanSpawnerCalls(const WorkloadJob& job, Mode mode, int n,
                                                          int workers) {
  const auto call = [](const std::string& function, int64_t count, std::vector<int64_t> args) {
    args.insert(args.begin(), count);
    return vm::WorkerCall{function, std::move(args)};
  };
  if (StartsItsOwn(job, mode)) {
    const std::string& function = mode == Mode::kThreads ? job.threads_function : job.pool_function;
    return {{call(function, n, job.calls[0])}};
  }
  std::vector<std::vector<vm::WorkerCall>> plan(static_cast<size_t>(workers));
  if (job.deal_by_index) {
    for (int i = 0; i < workers; ++i) {
      std::vector<int64_t> args = job.calls[0];
      args.push_back(i);
      args.push_back(workers);
      plan[static_cast<size_t>(i)].push_back(call(job.function, 1, std::move(args)));
    }
    return plan;
  }
  const std::vector<std::vector<std::vector<int64_t>>> parts = Split(job, workers);
  for (size_t i = 0; i < plan.size(); ++i) {
    for (const std::vector<int64_t>& args : parts[i])
      plan[i].push_back(call(job.function, 1, args));
  }
  return plan;
}

}  // namespace

std::vector<std::vector<vm::WorkerCall>> PlanCalls(
    const WorkloadJob& job, Mode mode, int n, int workers,
    const std::vector<std::vector<int64_t>>& leading_args) {
  if (job.spawner()) return PlanSpawnerCalls(job, mode, n, workers);
  const auto with_leading = [&](size_t worker, const std::vector<int64_t>& args) {
    std::vector<int64_t> all =
        worker < leading_args.size() ? leading_args[worker] : std::vector<int64_t>{};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  };
  std::vector<std::vector<vm::WorkerCall>> plan(static_cast<size_t>(workers));
  if (job.io_trio) {
    plan[0].push_back({job.function, with_leading(0, job.calls[0])});
    for (size_t i = 1; i < plan.size(); ++i) plan[i].push_back({"burn", {job.duration_ms}});
    return plan;
  }
  const std::vector<std::vector<std::vector<int64_t>>> parts = Split(job, workers);
  for (size_t i = 0; i < plan.size(); ++i) {
    for (const std::vector<int64_t>& args : parts[i]) {
      plan[i].push_back({job.function, with_leading(i, args)});
    }
  }
  return plan;
}

bool CheckWorkloadDir(const std::string& dir, std::string* error) {
  struct stat st {};
  const int err = stat(dir.c_str(), &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
  if (err == 0) return true;
  *error = "workload directory " + dir + ": " + std::strerror(err) +
           " (set --workload_dir= or GILBENCH_WORKLOAD_DIR)";
  return false;
}

bool MakeBlameDir(const std::string& dir, std::string* error) {
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    *error = "--blame=" + dir + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  const int err = stat(dir.c_str(), &st) != 0             ? errno
                  : !S_ISDIR(st.st_mode)                  ? ENOTDIR
                  : access(dir.c_str(), W_OK | X_OK) != 0 ? errno
                                                          : 0;
  if (err == 0) return true;
  *error = "--blame=" + dir + ": " + std::strerror(err);
  return false;
}

bool ReadWorkloadSource(const std::string& dir, const WorkloadJob& job, std::string* source,
                        std::string* error) {
  if (common::ReadFile(dir + "/" + job.file, source, error)) return true;
  *error = "cannot read workload " + *error;
  return false;
}

}  // namespace gilbench::harness
