// Hardware counters for gilbench: the events of --counters (cycles, instructions, cache_misses,
// branch_misses, or any raw libpfm4 event string), encoded by libpfm4 and counted with
// perf_event_open, and the PMU probe whose one-line answer goes into the benchmark context.
//
// How a run is counted (docs/design.md, "Counters: absent, not zero"; docs/background.md,
// "libpfm4 and perf_event pitfalls"):
//   - each VM thread opens its own CounterGroup for itself (pid 0, cpu -1), and each child process
//     of the `processes` mode opens its own and sends its CounterReading back over a pipe;
//   - the harness sums the readings with +=. `inherit` is never used: kernels before 6.x refuse it
//     with PERF_FORMAT_GROUP, and per-thread groups let every thread's figures be checked alone;
//   - events are user-level only (PFM_PLM3, exclude_kernel), which perf_event_paranoid 2 allows;
//   - a group is read with PERF_FORMAT_GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING and its
//     values scaled by enabled / running when the kernel multiplexed it.
// When the PMU cannot be used (no vPMU, perf_event_paranoid 3, seccomp, or GILBENCH_NO_PMU=1) the
// counters are absent and the reason says why; nothing else stops. Errors are data (bool + message,
// or an absent reading that carries its reason); nothing here throws.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/counter_reading.h"

namespace gilbench::harness {

// The --counters default: the four PMU metrics of docs/design.md, "Metric names".
inline constexpr std::string_view kDefaultCounters =
    "cycles,instructions,cache_misses,branch_misses";
// One event of --counters.
struct CounterSpec {
  std::string name;       // the metric name: "cycles", or the raw libpfm string as given
  std::string pfm_event;  // what libpfm encodes: "perf::PERF_COUNT_HW_CPU_CYCLES", or the raw one
  friend bool operator==(const CounterSpec&, const CounterSpec&) = default;
};

// Parses a --counters value: comma-separated names, each one of our four or a raw libpfm event
// string ("INST_RETIRED:ANY_P", "skl::INST_RETIRED:ANY_P", "perf_raw::r00c0"). Fails with a
// one-line message for an empty list or name, a duplicate, more than kMaxCounters, a name longer
// than kMaxCounterNameLength, or an unknown event. "Unknown" means no libpfm PMU table knows it: an
// event of a PMU this machine lacks (no vPMU) is accepted, and opening it fails later as "PMU
// unavailable", so the CLI can exit 2 for a typo and still run without a PMU.
bool ParseCounterList(std::string_view text, std::vector<CounterSpec>* out, std::string* error);
// The parsed kDefaultCounters.
std::vector<CounterSpec> DefaultCounters();

// /proc/sys/kernel/perf_event_paranoid, if readable.
std::optional<int> ReadPerfEventParanoid();
// A perf_event_open errno for a status line: "No such file or directory (ENOENT: no vPMU?)".
std::string DescribePerfErrno(int error_number);

// Forces the no-PMU path for the whole process (a --no-pmu style flag; tests), as the environment
// variable GILBENCH_NO_PMU=1 does. `reason` becomes the status and every absent reading's reason.
void ForceNoPmu(std::string_view reason = "disabled by GILBENCH_NO_PMU");
// Undoes ForceNoPmu (the environment variable is still honoured).
void ClearForcedNoPmu();

// Whether counters can be opened here, and if not, why.
struct PmuStatus {
  bool available = false;
  bool disabled = false;        // forced off by GILBENCH_NO_PMU or ForceNoPmu
  int error_number = 0;         // errno of the failed perf_event_open, 0 when none
  std::optional<int> paranoid;  // /proc/sys/kernel/perf_event_paranoid, if readable
  std::string reason;           // empty when available
  // "available: cycles,instructions,...; perf_event_paranoid=2" or
  // "unavailable: perf_event_open(cycles) failed: No such file or directory (ENOENT: no vPMU?);
  // perf_event_paranoid=2"; the benchmark context's value.
  std::string ToString() const;
};

// Opens, starts, reads and closes a group of `counters` in the calling thread. Not cached: it is a
// few system calls, and tests flip GILBENCH_NO_PMU between calls.
PmuStatus ProbePmu(const std::vector<CounterSpec>& counters);
PmuStatus ProbePmu();  // the default counters
// ProbePmu().available: whether the harness should try to count at all.
bool CountersAvailable();
// ProbePmu().ToString(), for AddCustomContext.
std::string PmuStatusString();

// One thread's group of events, opened by that thread for itself (pid 0, cpu -1): the leader is
// the first event, the rest follow it. Disabled until Start. Move-only; closes its fds. A group
// that failed to open (or was forced off) stays usable: Start and Stop fail, Read returns an
// absent reading with the reason. Open, Start and Stop belong to the owning thread. Read may be
// called from another thread (the kernel reads a task's counters wherever it runs) once that
// thread's Start happens-before it (e.g. after a join or a mutex): Read uses what Start recorded.
class CounterGroup {
 public:
  CounterGroup() = default;  // not open; Read is absent ("not opened")
  static CounterGroup Open(const std::vector<CounterSpec>& counters);
  CounterGroup(CounterGroup&& other) noexcept;
  CounterGroup& operator=(CounterGroup&& other) noexcept;
  CounterGroup(const CounterGroup&) = delete;
  CounterGroup& operator=(const CounterGroup&) = delete;
  ~CounterGroup();

  bool ok() const { return !fds_.empty(); }
  const std::string& error() const { return error_; }  // why it is not ok
  int error_number() const { return error_number_; }   // errno of a failed perf_event_open, or 0
  const std::vector<CounterSpec>& counters() const { return counters_; }

  // Resets the counts to zero and enables the group; false with *error (may be null) on failure.
  bool Start(std::string* error = nullptr);
  // Disables the group; the counts stay readable.
  bool Stop(std::string* error = nullptr);
  // The group's counts since the last Start, scaled; absent with the reason when not open, never
  // started, the read failed, or the group was enabled but never got onto the PMU (its values
  // would be made-up zeros).
  CounterReading Read() const;

 private:
  // Encodes and opens one event, as the leader when none is open yet; sets error_ on failure.
  bool OpenEvent(const CounterSpec& spec);
  void Close();

  std::vector<CounterSpec> counters_;
  std::vector<int> fds_;  // fds_[0] is the group leader; empty when not open
  std::string error_;
  int error_number_ = 0;
  bool started_ = false;  // Start succeeded at least once
  // The kernel's enabled/running times at the last Start: PERF_EVENT_IOC_RESET zeroes the counts
  // but not these, so Read subtracts them.
  std::uint64_t base_enabled_ns_ = 0;
  std::uint64_t base_running_ns_ = 0;
};

}  // namespace gilbench::harness
