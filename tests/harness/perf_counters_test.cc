// Tests of the hardware-counter library: parsing --counters, the forced no-PMU path, the reading
// record (sum, pipe round trip, a child process sending its reading) and, when this machine has a
// usable PMU, real counts of a busy loop (otherwise skipped with the probe's reason).
#include "harness/perf_counters.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace gilbench::harness {
namespace {

// Sets (or unsets, with nullptr) an environment variable for one test and restores it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_.has_value()) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A pipe whose ends close at scope exit.
struct Pipe {
  Pipe() { EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0); }
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  void CloseRead() {
    if (fds[0] >= 0) close(fds[0]);
    fds[0] = -1;
  }
  void CloseWrite() {
    if (fds[1] >= 0) close(fds[1]);
    fds[1] = -1;
  }
  int fds[2] = {-1, -1};
};

// A present reading with these names and values, as a group would give.
CounterReading MakeReading(const std::vector<std::pair<std::string, std::uint64_t>>& events,
                           std::uint64_t enabled = 100, std::uint64_t running = 100) {
  CounterReading reading;
  reading.state = CounterReading::State::kPresent;
  reading.count = static_cast<std::uint8_t>(events.size());
  reading.time_enabled_ns = enabled;
  reading.time_running_ns = running;
  reading.multiplexed = running < enabled ? 1 : 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].first.copy(reading.names[i].data(), kMaxCounterNameLength);
    reading.values[i] = events[i].second;
  }
  return reading;
}

// User-level work the counters can see; returns a value so it cannot be optimised away.
std::uint64_t Spin(std::uint64_t iterations) {
  volatile std::uint64_t sink = 0;
  for (std::uint64_t i = 0; i < iterations; ++i) sink = sink + (i ^ (i >> 3));
  return sink;
}

// Maps fresh anonymous memory and writes to every page, so user space takes page faults (a
// sanitizer's allocator may hand out memory it touched already, hence mmap).
void TouchFreshPages(std::size_t bytes) {
  void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(memory, MAP_FAILED);
  auto* bytes_ptr = static_cast<volatile char*>(memory);
  for (std::size_t i = 0; i < bytes; i += 4096) bytes_ptr[i] = 1;
  munmap(memory, bytes);
}

// Kernel software events: they go through the same libpfm encoding, group, read and scaling code
// as the PMU events but need no PMU, so the group machinery is tested on VMs without a vPMU too.
std::vector<CounterSpec> SoftwareCounters() {
  std::vector<CounterSpec> specs;
  std::string error;
  EXPECT_TRUE(ParseCounterList("perf::PERF_COUNT_SW_TASK_CLOCK,perf::PERF_COUNT_SW_PAGE_FAULTS",
                               &specs, &error))
      << error;
  return specs;
}
constexpr std::string_view kTaskClock = "perf::PERF_COUNT_SW_TASK_CLOCK";

// Opens `specs` in each of `threads` threads (each for itself, as the harness does), spins, and
// returns the threads' readings.
std::vector<CounterReading> CountInThreads(const std::vector<CounterSpec>& specs, int threads) {
  std::vector<CounterReading> readings(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < readings.size(); ++t) {
    workers.emplace_back([&specs, &readings, t] {
      CounterGroup group = CounterGroup::Open(specs);
      group.Start();
      Spin(2'000'000);
      group.Stop();
      readings[t] = group.Read();
    });
  }
  for (std::thread& worker : workers) worker.join();
  return readings;
}

// Forks a child that opens `specs` for itself, spins and sends its reading back; *out is that
// reading. Fatal test failures if the child fails or sends nothing.
void CountInChild(const std::vector<CounterSpec>& specs, CounterReading* out) {
  Pipe p;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    CounterGroup group = CounterGroup::Open(specs);
    group.Start();
    Spin(1'000'000);
    group.Stop();
    std::string error;
    _exit(WriteReading(p.fds[1], group.Read(), &error) ? 0 : 1);
  }
  p.CloseWrite();
  std::string error;
  const bool got = ReadReading(p.fds[0], out, &error);
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  ASSERT_TRUE(got) << error;
}

// The probe of the default counters, without any forcing from the environment.
PmuStatus RealProbe() {
  ScopedEnv no_force("GILBENCH_NO_PMU", nullptr);
  return ProbePmu();
}

// ----- Parsing --counters -----

TEST(PerfCountersTest, ParsesDefaultList) {
  std::vector<CounterSpec> specs;
  std::string error;
  ASSERT_TRUE(ParseCounterList(kDefaultCounters, &specs, &error)) << error;
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "cycles");
  EXPECT_EQ(specs[1].name, "instructions");
  EXPECT_EQ(specs[2].name, "cache_misses");
  EXPECT_EQ(specs[3].name, "branch_misses");
  EXPECT_EQ(specs[0].pfm_event, "perf::PERF_COUNT_HW_CPU_CYCLES");
  EXPECT_EQ(specs[3].pfm_event, "perf::PERF_COUNT_HW_BRANCH_MISSES");
  EXPECT_EQ(specs, DefaultCounters());
}

TEST(PerfCountersTest, TrimsSpacesAroundNames) {
  std::vector<CounterSpec> specs;
  std::string error;
  ASSERT_TRUE(ParseCounterList(" instructions , cycles", &specs, &error)) << error;
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "instructions");
  EXPECT_EQ(specs[1].name, "cycles");
}

TEST(PerfCountersTest, RejectsEmptyList) {
  std::vector<CounterSpec> specs = DefaultCounters();
  std::string error;
  EXPECT_FALSE(ParseCounterList("", &specs, &error));
  EXPECT_EQ(error, "empty --counters list");
  EXPECT_FALSE(ParseCounterList("  ", &specs, &error));
  EXPECT_EQ(specs, DefaultCounters()) << "a failed parse leaves *out alone";
}

TEST(PerfCountersTest, RejectsEmptyName) {
  std::vector<CounterSpec> specs;
  std::string error;
  EXPECT_FALSE(ParseCounterList("cycles,,instructions", &specs, &error));
  EXPECT_EQ(error, "empty counter name in --counters");
  EXPECT_FALSE(ParseCounterList("cycles,", &specs, &error));
  EXPECT_FALSE(ParseCounterList(",cycles", &specs, &error));
}

TEST(PerfCountersTest, RejectsUnknownName) {
  std::vector<CounterSpec> specs;
  std::string error;
  EXPECT_FALSE(ParseCounterList("cycles,cyclez", &specs, &error));
  EXPECT_EQ(error, "unknown counter 'cyclez': libpfm knows no such event");
  EXPECT_FALSE(ParseCounterList("nosuchpmu::INST_RETIRED:ANY_P", &specs, &error));
  EXPECT_NE(error.find("unknown counter"), std::string::npos) << error;
}

TEST(PerfCountersTest, RejectsBadAttributeOfKnownEvent) {
  std::vector<CounterSpec> specs;
  std::string error;
  EXPECT_FALSE(ParseCounterList("perf::PERF_COUNT_HW_CPU_CYCLES:nosuchattr", &specs, &error));
  EXPECT_NE(error.find("invalid counter"), std::string::npos) << error;
}

TEST(PerfCountersTest, RejectsDuplicates) {
  std::vector<CounterSpec> specs;
  std::string error;
  EXPECT_FALSE(ParseCounterList("cycles,instructions,cycles", &specs, &error));
  EXPECT_EQ(error, "counter 'cycles' listed twice in --counters");
}

TEST(PerfCountersTest, RejectsTooManyAndTooLong) {
  std::vector<CounterSpec> specs;
  std::string error;
  EXPECT_FALSE(ParseCounterList(
      "cycles,instructions,cache_misses,branch_misses,perf::PERF_COUNT_HW_BUS_CYCLES,"
      "perf::PERF_COUNT_HW_BRANCH_INSTRUCTIONS,perf::PERF_COUNT_HW_CACHE_REFERENCES,"
      "perf::PERF_COUNT_HW_REF_CPU_CYCLES,cycles:u",
      &specs, &error));
  EXPECT_NE(error.find("too many counters (9)"), std::string::npos) << error;
  EXPECT_FALSE(ParseCounterList(std::string(kMaxCounterNameLength + 1, 'x'), &specs, &error));
  EXPECT_NE(error.find("longer than 63"), std::string::npos) << error;
}

TEST(PerfCountersTest, AcceptsRawLibpfmEvents) {
  std::vector<CounterSpec> specs;
  std::string error;
  ASSERT_TRUE(
      ParseCounterList("perf::PERF_COUNT_HW_CPU_CYCLES,cycles:u,cache-misses", &specs, &error))
      << error;
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[1].name, "cycles:u");
  EXPECT_EQ(specs[1].pfm_event, "cycles:u");
}

// An event of a CPU PMU that this machine may lack (a VM without a vPMU) is not a typo: it parses,
// and only opening it can fail, as "PMU unavailable".
TEST(PerfCountersTest, AcceptsEventOfAbsentPmu) {
  std::vector<CounterSpec> specs;
  std::string error;
  ASSERT_TRUE(ParseCounterList("INST_RETIRED:ANY_P,skl::INST_RETIRED:ANY_P", &specs, &error))
      << error;
  ASSERT_EQ(specs.size(), 2u);
  CounterGroup group = CounterGroup::Open({specs[1]});
  if (!group.ok()) {
    EXPECT_FALSE(group.error().empty());
    EXPECT_TRUE(group.Read().absent());
  }
}

// ----- The forced no-PMU path -----

// Checks everything a caller sees when the PMU is off for `reason`.
void ExpectNoPmu(const std::string& reason) {
  const PmuStatus status = ProbePmu();
  EXPECT_FALSE(status.available);
  EXPECT_TRUE(status.disabled);
  EXPECT_EQ(status.reason, reason);
  EXPECT_EQ(status.ToString().rfind("unavailable: " + reason + "; perf_event_paranoid=", 0), 0u)
      << status.ToString();
  EXPECT_FALSE(CountersAvailable());
  EXPECT_EQ(PmuStatusString(), status.ToString());

  CounterGroup group = CounterGroup::Open(DefaultCounters());
  EXPECT_FALSE(group.ok());
  EXPECT_EQ(group.error(), reason);
  std::string error;
  EXPECT_FALSE(group.Start(&error));
  EXPECT_EQ(error, reason);
  EXPECT_FALSE(group.Stop());
  const CounterReading reading = group.Read();
  EXPECT_TRUE(reading.absent());
  EXPECT_FALSE(reading.present());
  EXPECT_EQ(reading.reason(), reason);
  EXPECT_EQ(reading.Value("cycles"), std::nullopt) << "absent, not zero";
  EXPECT_EQ(reading.count, 0u);
}

TEST(PerfCountersTest, EnvironmentForcesNoPmu) {
  ScopedEnv env("GILBENCH_NO_PMU", "1");
  ExpectNoPmu("disabled by GILBENCH_NO_PMU");
}

TEST(PerfCountersTest, CallForcesNoPmu) {
  ScopedEnv env("GILBENCH_NO_PMU", nullptr);
  ForceNoPmu("disabled by --no_pmu");
  ExpectNoPmu("disabled by --no_pmu");
  ClearForcedNoPmu();
  EXPECT_FALSE(ProbePmu().disabled);
}

TEST(PerfCountersTest, EnvironmentZeroDoesNotForce) {
  ScopedEnv env("GILBENCH_NO_PMU", "0");
  EXPECT_FALSE(ProbePmu().disabled);
}

TEST(PerfCountersTest, UnopenedGroupReadsAbsent) {
  CounterGroup group;
  EXPECT_FALSE(group.ok());
  EXPECT_FALSE(group.Start());
  const CounterReading reading = group.Read();
  EXPECT_TRUE(reading.absent());
  EXPECT_EQ(reading.reason(), "counter group not opened");
}

// ----- The probe and real counts -----

// Whatever the machine, the probe gives one line with the paranoid level; when it fails it says
// which call failed and why.
TEST(PerfCountersTest, ProbeExplainsItself) {
  const PmuStatus status = RealProbe();
  const std::string line = status.ToString();
  EXPECT_NE(line.find("; perf_event_paranoid="), std::string::npos) << line;
  EXPECT_FALSE(status.disabled);
  if (status.available) {
    EXPECT_EQ(line.rfind("available: cycles,instructions,cache_misses,branch_misses", 0), 0u)
        << line;
  } else {
    EXPECT_EQ(line.rfind("unavailable: ", 0), 0u) << line;
    EXPECT_FALSE(status.reason.empty());
  }
  std::printf("[          ] probe: %s\n", line.c_str());
}

TEST(PerfCountersTest, CountsBusyLoop) {
  const PmuStatus status = RealProbe();
  if (!status.available) GTEST_SKIP() << "PMU " << status.ToString();
  CounterGroup group = CounterGroup::Open(DefaultCounters());
  ASSERT_TRUE(group.ok()) << group.error();
  std::string error;
  ASSERT_TRUE(group.Start(&error)) << error;
  constexpr std::uint64_t kIterations = 10'000'000;
  Spin(kIterations);
  ASSERT_TRUE(group.Stop(&error)) << error;
  const CounterReading reading = group.Read();
  ASSERT_TRUE(reading.present()) << reading.reason();
  ASSERT_EQ(reading.count, 4u);
  EXPECT_GT(*reading.Value("instructions"), kIterations) << "at least one per iteration";
  EXPECT_GT(*reading.Value("cycles"), 0u);
  EXPECT_GT(reading.time_enabled_ns, 0u);
  EXPECT_GT(reading.time_running_ns, 0u);
  EXPECT_LE(reading.time_running_ns, reading.time_enabled_ns);
  EXPECT_EQ(reading.multiplexed != 0, reading.time_running_ns < reading.time_enabled_ns);
  // Starting again resets: a much shorter loop counts far fewer instructions.
  ASSERT_TRUE(group.Start(&error)) << error;
  Spin(kIterations / 100);
  group.Stop();
  const CounterReading again = group.Read();
  ASSERT_TRUE(again.present()) << again.reason();
  EXPECT_LT(*again.Value("instructions"), *reading.Value("instructions") / 10);
  EXPECT_LT(again.time_enabled_ns, reading.time_enabled_ns);
}

// The harness's way of counting threads: each opens its own group; the readings are summed.
TEST(PerfCountersTest, SumsPerThreadGroups) {
  const PmuStatus status = RealProbe();
  if (!status.available) GTEST_SKIP() << "PMU " << status.ToString();
  const std::vector<CounterReading> readings = CountInThreads(DefaultCounters(), 2);
  const CounterReading total = Sum(readings);
  ASSERT_TRUE(total.present()) << total.reason();
  EXPECT_EQ(*total.Value("instructions"),
            *readings[0].Value("instructions") + *readings[1].Value("instructions"));
  EXPECT_GT(*total.Value("instructions"), 4'000'000u);
}

// ----- The group machinery with software events (runs without a PMU) -----

TEST(PerfCountersTest, ProbeReportsAvailableSoftwareEvents) {
  ScopedEnv no_force("GILBENCH_NO_PMU", nullptr);
  const PmuStatus status = ProbePmu(SoftwareCounters());
  if (status.error_number == ENOSYS || status.error_number == EACCES ||
      status.error_number == EPERM) {
    GTEST_SKIP() << "perf_event_open itself is unavailable: " << status.ToString();
  }
  ASSERT_TRUE(status.available) << status.ToString();
  EXPECT_EQ(status.ToString().rfind(
                "available: perf::PERF_COUNT_SW_TASK_CLOCK,perf::PERF_COUNT_SW_PAGE_FAULTS; "
                "perf_event_paranoid=",
                0),
            0u)
      << status.ToString();
}

TEST(PerfCountersTest, CountsSoftwareEventsAndRestarts) {
  ScopedEnv no_force("GILBENCH_NO_PMU", nullptr);
  CounterGroup group = CounterGroup::Open(SoftwareCounters());
  if (!group.ok()) GTEST_SKIP() << group.error();
  EXPECT_EQ(group.Read().reason(), "counter group never started");
  std::string error;
  ASSERT_TRUE(group.Start(&error)) << error;
  Spin(20'000'000);
  TouchFreshPages(8 << 20);
  ASSERT_TRUE(group.Stop(&error)) << error;
  const CounterReading reading = group.Read();
  ASSERT_TRUE(reading.present()) << reading.reason();
  ASSERT_EQ(reading.count, 2u);
  EXPECT_EQ(reading.name(0), kTaskClock);
  EXPECT_GT(reading.time_enabled_ns, 0u);
  EXPECT_EQ(reading.time_running_ns, reading.time_enabled_ns) << "software events never multiplex";
  EXPECT_EQ(reading.multiplexed, 0u);
  const std::uint64_t task_ns = *reading.Value(kTaskClock);
  EXPECT_GT(task_ns, 0u);
  EXPECT_LE(task_ns, reading.time_enabled_ns) << "on CPU only while enabled";
  EXPECT_GT(*reading.Value("perf::PERF_COUNT_SW_PAGE_FAULTS"), 0u);

  // Start resets the counts and the times the reading is scaled with.
  ASSERT_TRUE(group.Start(&error)) << error;
  Spin(200'000);
  group.Stop();
  const CounterReading again = group.Read();
  ASSERT_TRUE(again.present()) << again.reason();
  EXPECT_LT(again.time_enabled_ns, reading.time_enabled_ns / 4);
  EXPECT_LT(*again.Value(kTaskClock), task_ns / 4);

  // Stopped means stopped: a later read gives the same counts.
  Spin(1'000'000);
  EXPECT_EQ(group.Read(), again);
}

TEST(PerfCountersTest, SumsPerThreadSoftwareGroups) {
  ScopedEnv no_force("GILBENCH_NO_PMU", nullptr);
  if (!CounterGroup::Open(SoftwareCounters()).ok()) GTEST_SKIP() << "no perf_event_open";
  const std::vector<CounterReading> readings = CountInThreads(SoftwareCounters(), 3);
  for (const CounterReading& reading : readings) ASSERT_TRUE(reading.present()) << reading.reason();
  const CounterReading total = Sum(readings);
  ASSERT_TRUE(total.present());
  EXPECT_EQ(*total.Value(kTaskClock), *readings[0].Value(kTaskClock) +
                                          *readings[1].Value(kTaskClock) +
                                          *readings[2].Value(kTaskClock));
  EXPECT_EQ(total.time_enabled_ns, readings[0].time_enabled_ns + readings[1].time_enabled_ns +
                                       readings[2].time_enabled_ns);
}

TEST(PerfCountersTest, ChildSendsSoftwareReading) {
  ScopedEnv no_force("GILBENCH_NO_PMU", nullptr);
  if (!CounterGroup::Open(SoftwareCounters()).ok()) GTEST_SKIP() << "no perf_event_open";
  CounterReading reading;
  ASSERT_NO_FATAL_FAILURE(CountInChild(SoftwareCounters(), &reading));
  ASSERT_TRUE(reading.present()) << reading.reason();
  EXPECT_GT(*reading.Value(kTaskClock), 0u);
}

// ----- The reading record -----

TEST(PerfCountersTest, ReadingSum) {
  const CounterReading a = MakeReading({{"cycles", 10}, {"instructions", 20}});
  const CounterReading b = MakeReading({{"cycles", 1}, {"instructions", 2}}, 50, 25);

  CounterReading total;
  EXPECT_EQ(total.state, CounterReading::State::kEmpty);
  total += a;
  EXPECT_EQ(total, a) << "empty is the identity";
  total += b;
  ASSERT_TRUE(total.present());
  EXPECT_EQ(total.Value("cycles"), 11u);
  EXPECT_EQ(total.Value("instructions"), 22u);
  EXPECT_EQ(total.Value("cache_misses"), std::nullopt);
  EXPECT_EQ(total.time_enabled_ns, 150u);
  EXPECT_EQ(total.time_running_ns, 125u);
  EXPECT_EQ(total.multiplexed, 1u);
  EXPECT_EQ(Sum({a, b}), total);
  EXPECT_EQ(Sum({}).state, CounterReading::State::kEmpty);

  const CounterReading absent = CounterReading::Absent("child 2 could not open its counters");
  const CounterReading with_absent = Sum({a, absent, b});
  EXPECT_TRUE(with_absent.absent()) << "one missing thread makes the total absent, not smaller";
  EXPECT_EQ(with_absent.reason(), "child 2 could not open its counters");
  EXPECT_EQ(with_absent.Value("cycles"), std::nullopt);

  const CounterReading other = MakeReading({{"instructions", 20}, {"cycles", 10}});
  const CounterReading mismatched = Sum({a, other});
  EXPECT_TRUE(mismatched.absent());
  EXPECT_EQ(mismatched.reason(), "cannot sum readings of different counter lists");
}

TEST(PerfCountersTest, AbsentReasonIsTruncated) {
  const CounterReading reading = CounterReading::Absent(std::string(500, 'r'));
  EXPECT_EQ(reading.reason().size(), reading.absent_reason.size() - 1);
}

TEST(PerfCountersTest, ReadingPipeRoundTrip) {
  static_assert(sizeof(CounterReading) <= PIPE_BUF, "one atomic write");
  Pipe p;
  const CounterReading present =
      MakeReading({{"cycles", 123456789012}, {"instructions", 42}, {"INST_RETIRED:ANY_P", 7}});
  const CounterReading absent = CounterReading::Absent("perf_event_open(cycles) failed");
  std::string error;
  ASSERT_TRUE(WriteReading(p.fds[1], present, &error)) << error;
  ASSERT_TRUE(WriteReading(p.fds[1], absent, &error)) << error;
  ASSERT_TRUE(WriteReading(p.fds[1], CounterReading{}, &error)) << error;
  CounterReading back;
  ASSERT_TRUE(ReadReading(p.fds[0], &back, &error)) << error;
  EXPECT_EQ(back, present);
  EXPECT_EQ(back.Value("INST_RETIRED:ANY_P"), 7u);
  ASSERT_TRUE(ReadReading(p.fds[0], &back, &error)) << error;
  EXPECT_EQ(back, absent);
  ASSERT_TRUE(ReadReading(p.fds[0], &back, &error)) << error;
  EXPECT_EQ(back, CounterReading{});
  p.CloseWrite();
  EXPECT_FALSE(ReadReading(p.fds[0], &back, &error));
  EXPECT_EQ(error, "no counter reading (end of file)");
}

TEST(PerfCountersTest, ReadingPipeRejectsBadRecords) {
  std::string error;
  CounterReading back;
  {
    Pipe p;
    const char partial[10] = {};
    ASSERT_EQ(write(p.fds[1], partial, sizeof(partial)), 10);
    p.CloseWrite();
    EXPECT_FALSE(ReadReading(p.fds[0], &back, &error));
    EXPECT_EQ(error, "short counter reading");
  }
  {
    Pipe p;
    CounterReading bad = MakeReading({{"cycles", 1}});
    bad.magic = 0;
    ASSERT_TRUE(WriteReading(p.fds[1], bad, &error)) << error;
    EXPECT_FALSE(ReadReading(p.fds[0], &back, &error));
    EXPECT_EQ(error, "malformed counter reading");
  }
  {
    Pipe p;
    CounterReading bad = MakeReading({{"cycles", 1}});
    bad.names[0].fill('x');  // no terminating NUL
    ASSERT_TRUE(WriteReading(p.fds[1], bad, &error)) << error;
    EXPECT_FALSE(ReadReading(p.fds[0], &back, &error));
    EXPECT_EQ(error, "malformed counter reading");
  }
}

// The `processes` mode's way with the default counters: present when this machine can count,
// absent with the reason otherwise; never zeros.
TEST(PerfCountersTest, ChildProcessSendsItsReading) {
  const PmuStatus status = RealProbe();
  CounterReading reading;
  {
    ScopedEnv no_force("GILBENCH_NO_PMU", nullptr);
    ASSERT_NO_FATAL_FAILURE(CountInChild(DefaultCounters(), &reading));
  }
  if (status.available) {
    ASSERT_TRUE(reading.present()) << reading.reason();
    EXPECT_GT(*reading.Value("instructions"), 1'000'000u);
  } else {
    EXPECT_TRUE(reading.absent());
    EXPECT_EQ(reading.reason(), status.reason);
  }
}

// With the PMU forced off, a child's reading arrives absent with that reason.
TEST(PerfCountersTest, ChildSendsAbsentReadingWhenForcedOff) {
  ScopedEnv env("GILBENCH_NO_PMU", "1");
  CounterReading reading;
  ASSERT_NO_FATAL_FAILURE(CountInChild(DefaultCounters(), &reading));
  EXPECT_TRUE(reading.absent());
  EXPECT_EQ(reading.reason(), "disabled by GILBENCH_NO_PMU");
}

}  // namespace
}  // namespace gilbench::harness
