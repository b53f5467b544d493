// Scheduler figures that every Linux machine has, per thread, with no PMU and no privilege: how
// long a thread ran, how long it was runnable but waiting for a CPU (run delay), in how many
// timeslices, how often it changed CPU, how many page faults it took.
//
// Sources, per metric, best first (docs/design.md, "Scheduler counters"):
//   task_clock_ns       perf software event task-clock   | clock_gettime(CLOCK_THREAD_CPUTIME_ID)
//   sched_run_delay_ns  /proc/thread-self/schedstat, field 2
//   sched_timeslices    /proc/thread-self/schedstat, field 3
//   cpu_migrations      perf software event cpu-migrations | /proc/thread-self/sched
//   se.nr_migrations page_faults         perf software event page-faults  | /proc/thread-self/stat
//   minflt + majflt
// The perf software events are opened WITHOUT exclude_kernel: an ordinary user at
// perf_event_paranoid 2 may open them only with exclude_kernel set, and they then count zero
// migrations and context switches (the kernel does that work, not user space). So when the kernel
// refuses them the /proc source is used instead; a zero that only means "not counted" never gets
// into a reading. A metric that no source can give is absent with the reason.
// The thread's time on CPU is not taken from schedstat's first field: the kernel brings that up
// to date only at a scheduling event or a tick, so a thread still running reads a stale value
// (a 2 ms run often reads 0); the thread CPU clock is exact.
//
// Test hooks: GILBENCH_NO_PERF_EVENTS=1 makes perf_event_open "refused" for these events,
// GILBENCH_NO_PROC_SCHED=1 the /proc files and the thread clock; with both every metric is absent
// with a reason.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace gilbench::harness {

enum class SchedMetric : std::uint8_t {
  kTaskClockNs,
  kRunDelayNs,
  kTimeslices,
  kCpuMigrations,
  kPageFaults,
};
inline constexpr std::size_t kSchedMetrics = 5;
// The benchmark counter names, indexed by SchedMetric.
inline constexpr std::array<std::string_view, kSchedMetrics> kSchedMetricNames = {
    "task_clock_ns", "sched_run_delay_ns", "sched_timeslices", "cpu_migrations", "page_faults"};

// kPerf: a perf software event. kOs: the unprivileged interfaces every Linux has (/proc files,
// the thread CPU clock).
enum class SchedSource : std::uint8_t { kNone = 0, kPerf = 1, kOs = 2 };

// One thread's (or a sum of threads' and processes') figures: trivially copyable and of fixed
// size, so that a `processes` child sends it to its parent inside its ChildReport. Per metric,
// as CounterReading: empty (the identity of +=), present (a real count, with its source) or
// absent (no source could count it; `absent_reason` says why). Absent is never zero.
struct SchedReading {
  enum class State : std::uint8_t { kEmpty = 0, kPresent = 1, kAbsent = 2 };

  std::array<std::uint64_t, kSchedMetrics> values{};
  std::array<State, kSchedMetrics> states{};
  std::array<SchedSource, kSchedMetrics> sources{};
  std::array<char, 200> absent_reason{};  // the first reason a metric is absent

  // A reading whose every metric is absent for `reason`.
  static SchedReading Absent(std::string_view reason);

  bool present(SchedMetric m) const { return states[Index(m)] == State::kPresent; }
  std::optional<std::uint64_t> Value(SchedMetric m) const;
  SchedSource source(SchedMetric m) const { return sources[Index(m)]; }
  std::string_view reason() const { return absent_reason.data(); }

  // Empty + x = x; absent + anything = absent (first reason kept); present + present sums, and is
  // absent if the two came from different sources (a sum of unlike counts is no count).
  SchedReading& operator+=(const SchedReading& other);
  friend bool operator==(const SchedReading&, const SchedReading&) = default;

  static constexpr std::size_t Index(SchedMetric m) { return static_cast<std::size_t>(m); }
};
static_assert(std::is_trivially_copyable_v<SchedReading>, "sent through a pipe as bytes");

// "perf" / "/proc/thread-self/schedstat" ...: where metric `m` comes from with `source`.
std::string_view SchedSourceName(SchedMetric m, SchedSource source);

// Counts the calling thread: open it on the thread to count (the perf events follow the thread
// that opened them, and /proc/thread-self is the opener). Start and Stop take a snapshot each;
// Read is the difference. Never fails as a whole: what cannot be opened or read makes its metrics
// absent with the reason. Move-only; closes its descriptors.
class ThreadSchedProbe {
 public:
  ThreadSchedProbe() = default;  // opens nothing; Read is absent ("not opened")
  static ThreadSchedProbe Open();
  ThreadSchedProbe(ThreadSchedProbe&& other) noexcept;
  ThreadSchedProbe& operator=(ThreadSchedProbe&& other) noexcept;
  ThreadSchedProbe(const ThreadSchedProbe&) = delete;
  ThreadSchedProbe& operator=(const ThreadSchedProbe&) = delete;
  ~ThreadSchedProbe();

  void Start();
  void Stop();
  SchedReading Read() const;

  // Why the perf software events are not used ("" when they are), and the /proc files likewise.
  const std::string& perf_error() const { return perf_error_; }
  const std::string& proc_error() const { return proc_error_; }

 private:
  // One snapshot of every source that opened; a metric the snapshot could not read is nullopt.
  struct Snapshot {
    std::array<std::optional<std::uint64_t>, kSchedMetrics> perf;
    std::array<std::optional<std::uint64_t>, kSchedMetrics> proc;
    std::string error;  // the first read that failed
  };
  Snapshot Take() const;
  void Close();

  bool opened_ = false;
  // perf software events by SchedMetric (-1: none for that metric, or not opened).
  std::array<int, kSchedMetrics> perf_fds_{-1, -1, -1, -1, -1};
  int schedstat_fd_ = -1;
  int sched_fd_ = -1;
  int stat_fd_ = -1;
  std::string perf_error_;
  std::string proc_error_;
  std::optional<Snapshot> start_;
  std::optional<Snapshot> stop_;
};

// The sources a thread of this process gets, one metric each, for the benchmark context:
// "task_clock_ns=perf:task-clock, sched_run_delay_ns=/proc/thread-self/schedstat, ...; perf
// software events: refused: Permission denied (EACCES ...) at perf_event_paranoid=2". Probed on
// the calling thread.
std::string SchedSourcesString();

}  // namespace gilbench::harness
