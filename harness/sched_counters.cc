// Per-thread scheduler figures from perf software events and /proc (sched_counters.h).
#include "harness/sched_counters.h"

#include <fcntl.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "harness/counter_reading.h"
#include "harness/perf_counters.h"
#include "harness/system_error.h"

namespace gilbench::harness {
namespace {

void SetReason(std::array<char, 200>* out, std::string_view reason) {
  if ((*out)[0] == '\0') CopyTruncated(reason, out);  // the first reason wins
}

// The perf software event behind each metric, or -1 when perf has none for it.
constexpr std::array<long long, kSchedMetrics> kPerfConfig = {
    PERF_COUNT_SW_TASK_CLOCK, -1, -1, PERF_COUNT_SW_CPU_MIGRATIONS, PERF_COUNT_SW_PAGE_FAULTS};
constexpr std::array<std::string_view, kSchedMetrics> kPerfEventNames = {
    "perf:task-clock", "", "", "perf:cpu-migrations", "perf:page-faults"};
constexpr std::array<std::string_view, kSchedMetrics> kOsNames = {
    "clock_gettime(CLOCK_THREAD_CPUTIME_ID)", "/proc/thread-self/schedstat",
    "/proc/thread-self/schedstat", "/proc/thread-self/sched", "/proc/thread-self/stat"};

long OpenSoftwareEvent(long long config, int group_fd) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = static_cast<std::uint64_t>(config);
  attr.disabled = 0;  // counts from here; Start and Stop take differences
  // exclude_kernel stays 0 on purpose: with it, migrations and switches count zero (header).
  attr.exclude_hv = 1;
  return syscall(SYS_perf_event_open, &attr, /*pid=*/0, /*cpu=*/-1, group_fd, PERF_FLAG_FD_CLOEXEC);
}

std::string DescribeRefusal(int error_number) {
  std::string text = "perf_event_open refused: " + DescribePerfErrno(error_number);
  if (std::optional<int> paranoid = ReadPerfEventParanoid()) {
    text += " at perf_event_paranoid=" + std::to_string(*paranoid);
  }
  return text;
}

// The whole of a small /proc file from offset 0 (a pread: the descriptor stays open, and a
// /proc file read from the start shows the figures as of now).
bool ReadProcFile(int fd, std::string* out) {
  char buffer[4096];
  out->clear();
  off_t offset = 0;
  for (;;) {
    const ssize_t n = pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out->append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
}

bool ParseUint(std::string_view text, std::uint64_t* value) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end != text.data();
}

// "run_ns wait_ns timeslices\n".
bool ParseSchedstat(std::string_view text, std::array<std::uint64_t, 3>* fields) {
  for (std::uint64_t& field : *fields) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), field);
    if (ec != std::errc() || end == text.data()) return false;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  }
  return true;
}

// The value of "key   :   value" in /proc/<tid>/sched.
bool ParseSchedKey(std::string_view text, std::string_view key, std::uint64_t* value) {
  std::size_t at = 0;
  while ((at = text.find(key, at)) != std::string_view::npos) {
    const bool line_start = at == 0 || text[at - 1] == '\n';
    const std::size_t after = at + key.size();
    if (line_start && after < text.size() && (text[after] == ' ' || text[after] == ':')) {
      const std::size_t colon = text.find(':', after);
      if (colon == std::string_view::npos) return false;
      return ParseUint(text.substr(colon + 1), value);
    }
    at = after;
  }
  return false;
}

// minflt + majflt from /proc/<tid>/stat: fields 10 and 12, counted after the ')' that ends the
// command name (which may itself hold spaces and parentheses).
bool ParseStatFaults(std::string_view text, std::uint64_t* faults) {
  const std::size_t close = text.rfind(')');
  if (close == std::string_view::npos) return false;
  text.remove_prefix(close + 1);
  // After ')': field 3 (state) is the first; minflt is field 10, majflt field 12.
  std::uint64_t minflt = 0, majflt = 0;
  int field = 2;
  std::size_t i = 0;
  while (i < text.size() && field < 12) {
    while (i < text.size() && text[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    ++field;
    const std::string_view token = text.substr(start, i - start);
    if (field == 10 && !ParseUint(token, &minflt)) return false;
    if (field == 12 && !ParseUint(token, &majflt)) return false;
  }
  if (field < 12) return false;
  *faults = minflt + majflt;
  return true;
}

}  // namespace

SchedReading SchedReading::Absent(std::string_view reason) {
  SchedReading reading;
  reading.states.fill(State::kAbsent);
  SetReason(&reading.absent_reason, reason);
  return reading;
}

std::optional<std::uint64_t> SchedReading::Value(SchedMetric m) const {
  if (!present(m)) return std::nullopt;
  return values[Index(m)];
}

SchedReading& SchedReading::operator+=(const SchedReading& other) {
  for (std::size_t i = 0; i < kSchedMetrics; ++i) {
    const State theirs = other.states[i];
    if (theirs == State::kEmpty || states[i] == State::kAbsent) continue;
    if (theirs == State::kAbsent) {
      states[i] = State::kAbsent;
      values[i] = 0;
      SetReason(&absent_reason, other.reason());
      continue;
    }
    if (states[i] == State::kEmpty) {
      states[i] = State::kPresent;
      sources[i] = other.sources[i];
      values[i] = other.values[i];
      continue;
    }
    if (sources[i] != other.sources[i]) {
      states[i] = State::kAbsent;
      values[i] = 0;
      SetReason(&absent_reason,
                std::string(kSchedMetricNames[i]) + ": threads counted by different sources");
      continue;
    }
    values[i] += other.values[i];
  }
  return *this;
}

std::string_view SchedSourceName(SchedMetric m, SchedSource source) {
  const std::size_t i = SchedReading::Index(m);
  switch (source) {
    case SchedSource::kPerf:
      return kPerfEventNames[i];
    case SchedSource::kOs:
      return kOsNames[i];
    case SchedSource::kNone:
      break;
  }
  return "none";
}

ThreadSchedProbe ThreadSchedProbe::Open() {
  ThreadSchedProbe probe;
  probe.opened_ = true;
  if (EnvFlagSet("GILBENCH_NO_PERF_EVENTS")) {
    probe.perf_error_ = "perf_event_open refused: disabled by GILBENCH_NO_PERF_EVENTS";
  } else {
    int leader = -1;
    for (std::size_t i = 0; i < kSchedMetrics; ++i) {
      if (kPerfConfig[i] < 0) continue;
      const long fd = OpenSoftwareEvent(kPerfConfig[i], leader);
      if (fd < 0) {
        probe.perf_error_ = DescribeRefusal(errno);
        break;
      }
      probe.perf_fds_[i] = static_cast<int>(fd);
      if (leader < 0) leader = static_cast<int>(fd);
    }
    if (!probe.perf_error_.empty()) {
      // All or none: the metrics of one reading come from one source each.
      for (int& fd : probe.perf_fds_) {
        if (fd >= 0) close(fd);
        fd = -1;
      }
    }
  }
  if (EnvFlagSet("GILBENCH_NO_PROC_SCHED")) {
    probe.proc_error_ =
        "/proc scheduler files and thread clock: disabled by GILBENCH_NO_PROC_SCHED";
  } else {
    probe.schedstat_fd_ = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    probe.sched_fd_ = open("/proc/thread-self/sched", O_RDONLY | O_CLOEXEC);
    probe.stat_fd_ = open("/proc/thread-self/stat", O_RDONLY | O_CLOEXEC);
    if (probe.schedstat_fd_ < 0 || probe.sched_fd_ < 0 || probe.stat_fd_ < 0) {
      probe.proc_error_ = std::string("/proc/thread-self: ") + std::strerror(errno);
    }
  }
  return probe;
}

ThreadSchedProbe::ThreadSchedProbe(ThreadSchedProbe&& other) noexcept { *this = std::move(other); }

ThreadSchedProbe& ThreadSchedProbe::operator=(ThreadSchedProbe&& other) noexcept {
  if (this != &other) {
    Close();
    opened_ = std::exchange(other.opened_, false);
    perf_fds_ = std::exchange(other.perf_fds_, {-1, -1, -1, -1, -1});
    schedstat_fd_ = std::exchange(other.schedstat_fd_, -1);
    sched_fd_ = std::exchange(other.sched_fd_, -1);
    stat_fd_ = std::exchange(other.stat_fd_, -1);
    perf_error_ = std::move(other.perf_error_);
    proc_error_ = std::move(other.proc_error_);
    start_ = std::move(other.start_);
    stop_ = std::move(other.stop_);
  }
  return *this;
}

ThreadSchedProbe::~ThreadSchedProbe() { Close(); }

void ThreadSchedProbe::Close() {
  for (int& fd : perf_fds_) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  for (int* fd : {&schedstat_fd_, &sched_fd_, &stat_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

ThreadSchedProbe::Snapshot ThreadSchedProbe::Take() const {
  Snapshot snap;
  for (std::size_t i = 0; i < kSchedMetrics; ++i) {
    if (perf_fds_[i] < 0) continue;
    std::uint64_t value = 0;
    if (read(perf_fds_[i], &value, sizeof value) == static_cast<ssize_t>(sizeof value)) {
      snap.perf[i] = value;
    } else if (snap.error.empty()) {
      snap.error = "reading a perf software event failed: " + DescribePerfErrno(errno);
    }
  }
  if (!proc_error_.empty()) return snap;
  std::string text;
  std::array<std::uint64_t, 3> schedstat{};
  timespec cpu{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0) {
    snap.proc[SchedReading::Index(SchedMetric::kTaskClockNs)] =
        static_cast<std::uint64_t>(cpu.tv_sec) * 1'000'000'000u +
        static_cast<std::uint64_t>(cpu.tv_nsec);
  }
  if (ReadProcFile(schedstat_fd_, &text) && ParseSchedstat(text, &schedstat)) {
    snap.proc[SchedReading::Index(SchedMetric::kRunDelayNs)] = schedstat[1];
    snap.proc[SchedReading::Index(SchedMetric::kTimeslices)] = schedstat[2];
  } else if (snap.error.empty()) {
    snap.error = "/proc/thread-self/schedstat unreadable (a kernel without CONFIG_SCHED_INFO?)";
  }
  std::uint64_t value = 0;
  if (ReadProcFile(sched_fd_, &text) && ParseSchedKey(text, "se.nr_migrations", &value)) {
    snap.proc[SchedReading::Index(SchedMetric::kCpuMigrations)] = value;
  } else if (snap.error.empty()) {
    snap.error = "/proc/thread-self/sched has no se.nr_migrations";
  }
  if (ReadProcFile(stat_fd_, &text) && ParseStatFaults(text, &value)) {
    snap.proc[SchedReading::Index(SchedMetric::kPageFaults)] = value;
  } else if (snap.error.empty()) {
    snap.error = "/proc/thread-self/stat unreadable";
  }
  return snap;
}

void ThreadSchedProbe::Start() {
  if (!opened_) return;
  start_ = Take();
  stop_.reset();
}

void ThreadSchedProbe::Stop() {
  if (start_) stop_ = Take();
}

SchedReading ThreadSchedProbe::Read() const {
  if (!opened_) return SchedReading::Absent("scheduler counters not opened");
  if (!start_ || !stop_) return SchedReading::Absent("scheduler counters never started");
  SchedReading reading;
  for (std::size_t i = 0; i < kSchedMetrics; ++i) {
    const auto delta = [&](const auto& a, const auto& b) -> std::optional<std::uint64_t> {
      if (!a || !b || *b < *a) return std::nullopt;
      return *b - *a;
    };
    if (auto perf = delta(start_->perf[i], stop_->perf[i])) {
      reading.values[i] = *perf;
      reading.sources[i] = SchedSource::kPerf;
      reading.states[i] = SchedReading::State::kPresent;
    } else if (auto proc = delta(start_->proc[i], stop_->proc[i])) {
      reading.values[i] = *proc;
      reading.sources[i] = SchedSource::kOs;
      reading.states[i] = SchedReading::State::kPresent;
    } else {
      reading.states[i] = SchedReading::State::kAbsent;
      std::string why = std::string(kSchedMetricNames[i]) + ": ";
      if (!stop_->error.empty()) {
        why += stop_->error;
      } else if (!start_->error.empty()) {
        why += start_->error;
      } else {
        why += perf_error_.empty() ? "" : perf_error_ + "; ";
        why += proc_error_.empty() ? "no source" : proc_error_;
      }
      SetReason(&reading.absent_reason, why);
    }
  }
  return reading;
}

std::string SchedSourcesString() {
  ThreadSchedProbe probe = ThreadSchedProbe::Open();
  probe.Start();
  probe.Stop();
  const SchedReading reading = probe.Read();
  std::string text;
  for (std::size_t i = 0; i < kSchedMetrics; ++i) {
    const auto metric = static_cast<SchedMetric>(i);
    text += (i == 0 ? "" : ", ") + std::string(kSchedMetricNames[i]) + "=";
    text += reading.present(metric) ? std::string(SchedSourceName(metric, reading.source(metric)))
                                    : std::string("absent");
  }
  if (!probe.perf_error().empty()) text += "; perf software events: " + probe.perf_error();
  if (!probe.proc_error().empty()) text += "; " + probe.proc_error();
  const bool explained = !probe.perf_error().empty() || !probe.proc_error().empty();
  if (!explained && !reading.reason().empty()) text += "; " + std::string(reading.reason());
  return text;
}

}  // namespace gilbench::harness
