// Parsing of gilbench's own flags (options.h).
#include "harness/options.h"

#include <sched.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <string_view>

namespace gilbench::harness {
namespace {

const std::vector<std::string> kPolicies = {"py2", "py3", "fifo", "prio", "subinterp"};

// Splits "a,b,c" into its items; an empty item is kept (and rejected by the caller).
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    items.emplace_back(text.substr(start, comma - start));
    if (comma == std::string_view::npos) return items;
    start = comma + 1;
  }
}

bool ParseInt(std::string_view text, int64_t min, int64_t* out) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min) return false;
  *out = value;
  return true;
}

bool Bad(std::string_view flag, std::string_view value, std::string_view expected,
         std::string* error) {
  *error = "gilbench: bad value '" + std::string(value) + "' for --" + std::string(flag) +
           " (expected " + std::string(expected) + ")";
  return false;
}

// Accepts a list whose items all appear in `known`.
bool ParseNames(std::string_view flag, std::string_view value,
                const std::vector<std::string>& known, std::vector<std::string>* out,
                std::string* error) {
  std::string expected;
  for (const std::string& name : known) expected += (expected.empty() ? "" : ",") + name;
  out->clear();
  for (const std::string& item : SplitList(value)) {
    bool found = false;
    for (const std::string& name : known) found = found || name == item;
    if (!found) return Bad(flag, item, "a list of " + expected, error);
    out->push_back(item);
  }
  return true;
}

bool ParseModes(std::string_view value, std::vector<Mode>* out, std::string* error) {
  std::vector<std::string> names;
  if (!ParseNames("modes", value, {"seq", "threads", "processes", "pool"}, &names, error)) {
    return false;
  }
  out->clear();
  for (const std::string& name : names) {
    out->push_back(name == "seq"         ? Mode::kSeq
                   : name == "threads"   ? Mode::kThreads
                   : name == "processes" ? Mode::kProcesses
                                         : Mode::kPool);
  }
  return true;
}

// A list of thread counts from `min` to 256 (256 bounds the fork/thread fan-out of one run;
// nobody needs more on one machine).
bool ParseCounts(std::string_view flag, std::string_view value, int64_t min, std::vector<int>* out,
                 std::string* error) {
  out->clear();
  for (const std::string& item : SplitList(value)) {
    int64_t n = 0;
    if (!ParseInt(item, min, &n) || n > 256) {
      return Bad(flag, item, "a list of thread counts from " + std::to_string(min) + " to 256",
                 error);
    }
    out->push_back(static_cast<int>(n));
  }
  return true;
}

bool ParseIntervals(std::string_view value, std::vector<int64_t>* out, std::string* error) {
  out->clear();
  for (const std::string& item : SplitList(value)) {
    int64_t us = 0;
    // An hour bounds a typo; no interval-based GIL is useful beyond a second or so.
    if (!ParseInt(item, 1, &us) || us > 3'600'000'000) {
      return Bad("switch-intervals", item, "a list of microseconds >= 1", error);
    }
    out->push_back(us);
  }
  return true;
}

bool ParsePlacements(std::string_view value, std::vector<Placement>* out, std::string* error) {
  out->clear();
  for (const std::string& item : SplitList(value)) {
    Placement p;
    if (!ParsePlacement(item, &p)) {
      return Bad("placements", item, "a list of os,one-core,spread,smt,cross-package,numa", error);
    }
    out->push_back(p);
  }
  return true;
}

bool ParseCounters(std::string_view value, Options* out, std::string* error) {
  out->counters_off = value == "none";
  out->counters.clear();
  if (out->counters_off) return true;
  std::string why;
  if (!ParseCounterList(value, &out->counters, &why)) {
    *error = "gilbench: bad value '" + std::string(value) + "' for --counters: " + why;
    return false;
  }
  return true;
}

bool ParseSize(std::string_view value, Size* out, std::string* error) {
  for (Size size : {Size::kQuick, Size::kFull, Size::kTiny, Size::kLong}) {
    if (value == SizeName(size)) {
      *out = size;
      return true;
    }
  }
  return Bad("size", value, "quick, full, long or tiny", error);
}

bool ParseDir(std::string_view flag, std::string_view value, std::string* out, std::string* error) {
  if (value.empty()) return Bad(flag, value, "a directory", error);
  *out = value;
  return true;
}

using Handler = std::function<bool(std::string_view value, Options*, std::string*)>;

// One handler per flag that takes a value, by name.
const std::vector<std::pair<std::string_view, Handler>>& Handlers() {
  static const std::vector<std::pair<std::string_view, Handler>> handlers = {
      {"workloads",
       [](auto v, Options* o, auto* e) {
         return ParseNames("workloads", v, WorkloadNames(), &o->workloads, e);
       }},
      {"policies", [](auto v, Options* o,
                      auto* e) { return ParseNames("policies", v, kPolicies, &o->policies, e); }},
      {"modes", [](auto v, Options* o, auto* e) { return ParseModes(v, &o->modes, e); }},
      {"threads",
       [](auto v, Options* o, auto* e) { return ParseCounts("threads", v, 1, &o->threads, e); }},
      {"cpu-threads", [](auto v, Options* o,
                         auto* e) { return ParseCounts("cpu-threads", v, 0, &o->cpu_threads, e); }},
      {"switch-intervals",
       [](auto v, Options* o, auto* e) { return ParseIntervals(v, &o->switch_intervals, e); }},
      {"placements",
       [](auto v, Options* o, auto* e) { return ParsePlacements(v, &o->placements, e); }},
      {"counters", [](auto v, Options* o, auto* e) { return ParseCounters(v, o, e); }},
      {"size", [](auto v, Options* o, auto* e) { return ParseSize(v, &o->size, e); }},
      {"switch-interval",
       [](auto v, Options* o, auto* e) {
         return ParseInt(v, 1, &o->switch_interval_us) ||
                Bad("switch-interval", v, "microseconds >= 1", e);
       }},
      {"check-interval",
       [](auto v, Options* o, auto* e) {
         return ParseInt(v, 1, &o->check_interval) || Bad("check-interval", v, "ticks >= 1", e);
       }},
      {"workload_dir", [](auto v, Options* o,
                          auto* e) { return ParseDir("workload_dir", v, &o->workload_dir, e); }},
      {"blame", [](auto v, Options* o, auto* e) { return ParseDir("blame", v, &o->blame_dir, e); }},
  };
  return handlers;
}

}  // namespace

std::vector<int> DefaultThreadCounts(int pus) {
  std::vector<int> counts;
  for (int n = 1; n < pus; n *= 2) counts.push_back(n);
  counts.push_back(pus < 1 ? 1 : pus);
  return counts;
}

int AllowedPuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  const int count = CPU_COUNT(&set);
  return count < 1 ? 1 : count;
}

namespace {

void SetDefaults(const std::string& workload_dir, Options* out) {
  *out = Options{};
  out->workloads = WorkloadNames();
  out->policies = kPolicies;
  out->modes = {Mode::kSeq, Mode::kThreads, Mode::kProcesses, Mode::kPool};
  out->threads = DefaultThreadCounts(AllowedPuCount());
  out->cpu_threads = {0, 1, 2};
  out->placements = {Placement::kOs,  Placement::kOneCore,      Placement::kSpread,
                     Placement::kSmt, Placement::kCrossPackage, Placement::kNuma};
  out->counters = DefaultCounters();
  out->workload_dir = workload_dir;
}

// Handles one argument if it is ours: 1 consumed, 0 not ours, -1 bad.
int ParseOne(std::string_view arg, Options* out, std::string* error) {
  if (arg == "--no-forced-switch") {
    out->forced_switch = false;
    return 1;
  }
  if (arg == "--print_machine_name") {
    out->print_machine_name = true;
    return 1;
  }
  for (const auto& [name, handler] : Handlers()) {
    const std::string prefix = "--" + std::string(name) + "=";
    if (arg.substr(0, prefix.size()) == prefix) {
      return handler(arg.substr(prefix.size()), out, error) ? 1 : -1;
    }
    if (arg == "--" + std::string(name)) {
      *error =
          "gilbench: --" + std::string(name) + " needs a value (--" + std::string(name) + "=...)";
      return -1;
    }
  }
  return 0;
}

// LibraryFlag, telling also whether the flag was given at all (an empty value is a value).
bool FindLibraryFlag(const std::vector<std::string>& args, std::string_view name,
                     std::string* value) {
  const std::string flag = "--" + std::string(name);
  bool found = false;
  for (size_t i = 1; i < args.size(); ++i) {  // args[0] is the program
    const std::string& arg = args[i];
    if (arg == flag) {
      *value = "true";
      found = true;
    } else if (arg.compare(0, flag.size() + 1, flag + "=") == 0) {
      *value = arg.substr(flag.size() + 1);
      found = true;
    }
  }
  if (found) return true;
  std::string env_name(name);
  for (char& c : env_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const char* env = std::getenv(env_name.c_str());
  *value = env != nullptr ? env : "";
  return env != nullptr;
}

}  // namespace

bool ParseOptions(int* argc, char** argv, const std::string& workload_dir, Options* out,
                  std::string* error) {
  SetDefaults(workload_dir, out);
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    const int consumed = ParseOne(argv[i], out, error);
    if (consumed < 0) return false;
    if (consumed == 0) argv[kept++] = argv[i];
  }
  *argc = kept;
  return true;
}

const char* OptionsUsage() {
  return R"(gilbench's own flags (all --benchmark_* flags work too):
  --workloads=countdown,factorize,sleep,native,pipe_io,latency,bandwidth,convoy,
              factorize_class,bank,pipeline,pool,executor
                                            (default: all; the last five make their own
                                            threads or processes: their threads and pool
                                            rows are one call that starts n of them)
  --policies=py2,py3,fifo,prio,subinterp    (default: all)
  --modes=seq,threads,processes,pool        (default: all; pool: the workload's own process
                                            pool of n, only pool and executor have it)
  --threads=1,2,4                           n of threads/processes/pool runs (seq is 1;
                                            default: 1, 2, 4, ... below the PUs this process
                                            may use, then that number: 1,2 on 2 PUs)
  --cpu-threads=0,1,2                       n of latency/bandwidth/convoy: CPU-bound threads
                                            beside their one I/O thread (threads and
                                            processes modes only)
  --switch-intervals=1,10,100,1000,5000,100000
                                            run the switch-interval sweep instead of the
                                            matrix: latency and bandwidth with 1 CPU thread,
                                            countdown with 2 threads, under each of
                                            py3,fifo,prio (those of --policies), placement os;
                                            names carry the interval: latency/py3@100us/...
  --placements=os,one-core,spread,smt,cross-package,numa
                                            (default: all; rows of one the machine cannot
                                             give are not run: stderr and the context's
                                             placements_unavailable say why)
  --counters=cycles,instructions,cache_misses,branch_misses | none
                                            PMU events (raw libpfm4 names allowed); none
                                            opens no counter (GILBENCH_NO_PMU=1 forces the
                                            no-PMU path too)
  --size=quick|full|long|tiny               quick: small jobs, 1 iteration (default);
                                            full: real sizes, >= 1 s per run;
                                            long: full, countdown 150,000,000, 1 iteration;
                                            tiny: the tests' smallest jobs
  --switch-interval=US  --check-interval=N  --no-forced-switch   GIL knobs
  --workload_dir=DIR                        the .py workloads (env GILBENCH_WORKLOAD_DIR)
  --blame=DIR                               who made whom wait for the GIL, per threads row:
                                            DIR/ROW.folded (folded stacks at the drop),
                                            DIR/ROW.asked.folded (when the waiter asked) and
                                            DIR/ROW.json
  --print_machine_name                      print the CPU model and PU count as a folder name
                                            and exit
Output goes to stdout; with --benchmark_out=FILE also to FILE (written whole or not at all),
and topology.xml (hwloc) beside a regular FILE. --benchmark_time_unit=ns|us|ms|s sets the time
unit (default ms). SIGINT or SIGTERM stops the run: status 130 or 143, FILE not written.
)";
}

std::string LibraryFlag(const std::vector<std::string>& args, std::string_view name) {
  std::string value;
  FindLibraryFlag(args, name, &value);
  return value;
}

bool CheckLibraryFlags(const std::vector<std::string>& args, std::string* error) {
  struct Choice {
    std::string_view flag;
    std::vector<std::string_view> values;
  };
  static const Choice kChoices[] = {
      {"benchmark_time_unit", {"ns", "us", "ms", "s"}},
      {"benchmark_format", {"console", "json", "csv"}},
      {"benchmark_out_format", {"console", "json", "csv"}},
  };
  for (const Choice& choice : kChoices) {
    std::string value;
    if (!FindLibraryFlag(args, choice.flag, &value)) continue;  // the library's default
    // The library ignores an empty time unit but not an empty format.
    if (value.empty() && choice.flag == "benchmark_time_unit") continue;
    bool known = false;
    std::string expected;
    for (std::string_view v : choice.values) {
      known = known || value == v;
      expected += (expected.empty() ? "" : "|") + std::string(v);
    }
    if (!known) return Bad(choice.flag, value, expected, error);
  }
  return true;
}

}  // namespace gilbench::harness
