// Hardware counters: libpfm4 turns event names into perf_event_attr, perf_event_open counts them
// as one group per thread, and the probe says in one line whether (and why not) this machine can.
// See perf_counters.h for the counting model and docs/background.md ("libpfm4 and perf_event
// pitfalls") for the pitfalls followed here.
#include "harness/perf_counters.h"

// The order matters: libpfm's header brings its own copy of the perf_event definitions unless the
// kernel's header has been seen first (docs/background.md, "libpfm4 and perf_event pitfalls").
// clang-format off
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
// clang-format on

#include <errno.h>
#include <limits.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>  // std::call_once
#include <type_traits>
#include <utility>

#include "gil/pthread_sync.h"
#include "harness/system_error.h"

namespace gilbench::harness {

namespace {

// Our metric names and the libpfm strings they mean. The "perf::" prefix pins the kernel's generic
// events, so a CPU PMU table that happened to define an event of the same name cannot capture them.
struct NamedEvent {
  std::string_view name;
  std::string_view pfm_event;
};
constexpr NamedEvent kNamedEvents[] = {
    {"cycles", "perf::PERF_COUNT_HW_CPU_CYCLES"},
    {"instructions", "perf::PERF_COUNT_HW_INSTRUCTIONS"},
    {"cache_misses", "perf::PERF_COUNT_HW_CACHE_MISSES"},
    {"branch_misses", "perf::PERF_COUNT_HW_BRANCH_MISSES"},
};

// libpfm is initialised once per process. pfm_initialize is not thread-safe, hence call_once; the
// encoding calls after it only read libpfm's tables, but libpfm does not promise they are
// reentrant, so they are serialised by libpfm_mutex (encoding happens at Open, never while
// counting).
std::once_flag libpfm_once;
int libpfm_init_status = PFM_ERR_NOINIT;  // written once inside call_once
gil::PthreadMutex libpfm_mutex;           // serialises every libpfm call after initialisation

int LibpfmInit() {
  std::call_once(libpfm_once, [] { libpfm_init_status = pfm_initialize(); });
  return libpfm_init_status;
}

// The ForceNoPmu reason. Empty when not forced by a call.
gil::PthreadMutex force_mutex;
std::string forced_reason GUARDED_BY(force_mutex);

// Why the PMU is switched off by request, or nullopt. The environment wins over nothing, the call
// over the environment (a flag given on purpose says more than an inherited variable).
std::optional<std::string> ForcedOffReason() {
  {
    gil::MutexLock lock(force_mutex);
    if (!forced_reason.empty()) return forced_reason;
  }
  if (EnvFlagSet("GILBENCH_NO_PMU")) return std::string("disabled by GILBENCH_NO_PMU");
  return std::nullopt;
}

}  // namespace

std::optional<int> ReadPerfEventParanoid() {
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  int level = 0;
  if (in >> level) return level;
  return std::nullopt;
}

// What a perf_event_open errno usually means for user-level counting, for the status line.
static const char* ErrnoHint(int error_number) {
  switch (error_number) {
    case ENOENT:
      return "no vPMU?";
    case EOPNOTSUPP:
      return "the PMU lacks this event or user-only counting; no vPMU?";
    case ENODEV:
      return "no such PMU";
    case EACCES:
    case EPERM:
      return "forbidden by perf_event_paranoid or seccomp";
    case ENOSYS:
      return "no perf_event_open: kernel config or seccomp";
    case EINVAL:
      return "event attributes rejected";
    case EMFILE:
    case ENFILE:
      return "out of file descriptors";
    case EBUSY:
      return "PMU in exclusive use";
    default:
      return "";
  }
}

// "No such file or directory (ENOENT: no vPMU?)".
std::string DescribePerfErrno(int error_number) {
  return ErrnoText(error_number, ErrnoHint(error_number));
}

namespace {

// Encodes one libpfm event string for user-level counting; returns the PFM_ status.
int Encode(const std::string& pfm_event, perf_event_attr* attr) {
  if (int status = LibpfmInit(); status != PFM_SUCCESS) return status;
  *attr = perf_event_attr{};
  pfm_perf_encode_arg_t arg{};
  arg.attr = attr;
  arg.size = sizeof(arg);
  gil::MutexLock lock(libpfm_mutex);
  return pfm_get_os_event_encoding(pfm_event.c_str(), PFM_PLM3, PFM_OS_PERF_EVENT, &arg);
}

// Whether some PMU table of libpfm, present on this machine or not, defines the event that
// `pfm_event` names ("[pmu::]EVENT[:attr...]"). pfm_find_event only searches the PMUs detected
// here, so without this an event of a missing PMU (a VM without a vPMU) would look like a typo.
// Walks every table (tens of thousands of events): only called after an encoding failed.
bool KnownToAnyPmuTable(std::string_view pfm_event) {
  std::string_view pmu_name;
  if (auto sep = pfm_event.find("::"); sep != std::string_view::npos) {
    pmu_name = pfm_event.substr(0, sep);
    pfm_event.remove_prefix(sep + 2);
  }
  const std::string event(pfm_event.substr(0, pfm_event.find(':')));
  if (event.empty()) return false;
  gil::MutexLock lock(libpfm_mutex);
  for (int pmu = PFM_PMU_NONE; pmu < PFM_PMU_MAX; ++pmu) {
    pfm_pmu_info_t pmu_info{};
    pmu_info.size = sizeof(pmu_info);
    if (pfm_get_pmu_info(static_cast<pfm_pmu_t>(pmu), &pmu_info) != PFM_SUCCESS) continue;
    if (!pmu_name.empty() && strcasecmp(std::string(pmu_name).c_str(), pmu_info.name) != 0) {
      continue;
    }
    for (int idx = pmu_info.first_event; idx != -1; idx = pfm_get_event_next(idx)) {
      pfm_event_info_t info{};
      info.size = sizeof(info);
      if (pfm_get_event_info(idx, PFM_OS_NONE, &info) == PFM_SUCCESS && info.name != nullptr &&
          strcasecmp(info.name, event.c_str()) == 0) {
        return true;
      }
    }
  }
  return false;
}

// Checks a raw libpfm event string: it encodes here, or some PMU table knows it.
bool CheckRawEvent(const std::string& name, std::string* error) {
  perf_event_attr attr;
  const int status = Encode(name, &attr);
  if (status == PFM_SUCCESS) return true;
  if (status == PFM_ERR_NOTFOUND) {
    if (KnownToAnyPmuTable(name)) return true;
    *error = "unknown counter '" + name + "': libpfm knows no such event";
    return false;
  }
  if (LibpfmInit() != PFM_SUCCESS) return true;  // cannot tell here; Open reports libpfm's error
  *error = "invalid counter '" + name + "': libpfm: " + pfm_strerror(status);
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Turns one name of --counters into its spec, or fails with the reason.
bool ParseOneCounter(std::string_view name, CounterSpec* out, std::string* error) {
  if (name.empty()) {
    *error = "empty counter name in --counters";
    return false;
  }
  if (name.size() > kMaxCounterNameLength) {
    *error = "counter name '" + std::string(name) + "' is longer than " +
             std::to_string(kMaxCounterNameLength) + " characters";
    return false;
  }
  for (const NamedEvent& named : kNamedEvents) {
    if (named.name == name) {
      *out = CounterSpec{std::string(named.name), std::string(named.pfm_event)};
      return true;
    }
  }
  *out = CounterSpec{std::string(name), std::string(name)};
  return CheckRawEvent(out->name, error);
}

long PerfEventOpen(perf_event_attr* attr, int group_fd) {
  return syscall(SYS_perf_event_open, attr, /*pid=*/0, /*cpu=*/-1, group_fd, PERF_FLAG_FD_CLOEXEC);
}

// Keeps the CPU busy in user space for the probe, so a working PMU has something to count.
void BusyLoop() {
  volatile std::uint64_t sink = 0;
  for (std::uint64_t i = 0; i < 200000; ++i) sink = sink + i * i;
}

// The kernel's PERF_FORMAT_GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING record (no IDs).
struct GroupRecord {
  std::uint64_t nr;
  std::uint64_t time_enabled;
  std::uint64_t time_running;
  std::uint64_t values[kMaxCounters];
};

// Reads the group record from the leader; false with *error on a failed or short read.
bool ReadGroupRecord(int leader, std::size_t events, GroupRecord* record, std::string* error) {
  ssize_t n;
  do {
    n = read(leader, record, sizeof(*record));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    *error = "reading the counter group failed: " + DescribePerfErrno(errno);
    return false;
  }
  const auto expected = static_cast<ssize_t>((3 + events) * sizeof(std::uint64_t));
  if (n != expected || record->nr != events) {
    *error = "reading the counter group gave a short or malformed record";
    return false;
  }
  return true;
}

}  // namespace

bool ParseCounterList(std::string_view text, std::vector<CounterSpec>* out, std::string* error) {
  if (Trim(text).empty()) {
    *error = "empty --counters list";
    return false;
  }
  std::vector<CounterSpec> specs;
  while (true) {
    const std::size_t comma = text.find(',');
    CounterSpec spec;
    if (!ParseOneCounter(Trim(text.substr(0, comma)), &spec, error)) return false;
    for (const CounterSpec& seen : specs) {
      if (seen.name == spec.name) {
        *error = "counter '" + spec.name + "' listed twice in --counters";
        return false;
      }
    }
    specs.push_back(std::move(spec));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (specs.size() > kMaxCounters) {
    *error = "too many counters (" + std::to_string(specs.size()) + "); at most " +
             std::to_string(kMaxCounters) + " fit one group";
    return false;
  }
  *out = std::move(specs);
  return true;
}

std::vector<CounterSpec> DefaultCounters() {
  std::vector<CounterSpec> specs;
  for (const NamedEvent& named : kNamedEvents) {
    specs.push_back(CounterSpec{std::string(named.name), std::string(named.pfm_event)});
  }
  return specs;
}

void ForceNoPmu(std::string_view reason) {
  gil::MutexLock lock(force_mutex);
  forced_reason = reason.empty() ? "disabled by request" : std::string(reason);
}

void ClearForcedNoPmu() {
  gil::MutexLock lock(force_mutex);
  forced_reason.clear();
}

// ---------------------------------------------------------------------------------------------
// The probe.

std::string PmuStatus::ToString() const {
  std::string text;
  if (available) {
    text = "available";
    if (!reason.empty()) text += ": " + reason;
  } else {
    text = "unavailable: " + reason;
  }
  text += "; perf_event_paranoid=";
  text += paranoid ? std::to_string(*paranoid) : std::string("unknown");
  return text;
}

PmuStatus ProbePmu(const std::vector<CounterSpec>& counters) {
  PmuStatus status;
  status.paranoid = ReadPerfEventParanoid();
  if (auto forced = ForcedOffReason()) {
    status.disabled = true;
    status.reason = *forced;
    return status;
  }
  CounterGroup group = CounterGroup::Open(counters);
  if (!group.ok()) {
    status.reason = group.error();
    status.error_number = group.error_number();
    return status;
  }
  std::string error;
  if (!group.Start(&error)) {
    status.reason = error;
    return status;
  }
  BusyLoop();
  group.Stop();
  const CounterReading reading = group.Read();
  if (!reading.present()) {
    status.reason = std::string(reading.reason());
    return status;
  }
  if (std::all_of(reading.values.begin(), reading.values.begin() + reading.count,
                  [](std::uint64_t v) { return v == 0; })) {
    status.reason = "the counters opened but counted nothing (an emulated, empty PMU?)";
    return status;
  }
  status.available = true;
  for (const CounterSpec& spec : counters) {
    status.reason += (status.reason.empty() ? "" : ",") + spec.name;
  }
  return status;
}

PmuStatus ProbePmu() { return ProbePmu(DefaultCounters()); }

bool CountersAvailable() { return ProbePmu().available; }

std::string PmuStatusString() { return ProbePmu().ToString(); }

// ---------------------------------------------------------------------------------------------
// CounterGroup.

CounterGroup CounterGroup::Open(const std::vector<CounterSpec>& counters) {
  CounterGroup group;
  group.counters_ = counters;
  if (auto forced = ForcedOffReason()) {
    group.error_ = *forced;
    return group;
  }
  if (counters.empty() || counters.size() > kMaxCounters) {
    group.error_ = "a counter group needs 1 to " + std::to_string(kMaxCounters) + " events";
    return group;
  }
  for (const CounterSpec& spec : counters) {
    if (!group.OpenEvent(spec)) {
      group.Close();
      return group;
    }
  }
  return group;
}

bool CounterGroup::OpenEvent(const CounterSpec& spec) {
  if (spec.name.empty() || spec.name.size() > kMaxCounterNameLength) {
    error_ = "bad counter name '" + spec.name + "'";
    return false;
  }
  perf_event_attr attr;
  if (int status = Encode(spec.pfm_event, &attr); status != PFM_SUCCESS) {
    error_ = "libpfm cannot encode '" + spec.pfm_event + "' here: " + pfm_strerror(status) +
             (status == PFM_ERR_NOTFOUND ? " (its PMU is not on this machine)" : "");
    return false;
  }
  const bool leader = fds_.empty();
  attr.size = sizeof(attr);
  attr.disabled = leader ? 1 : 0;  // members count whenever their leader does
  attr.inherit = 0;                // never with PERF_FORMAT_GROUP; threads open their own groups
  attr.exclude_kernel = 1;         // user level only: what perf_event_paranoid 2 allows
  attr.exclude_hv = 1;
  attr.read_format =
      PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  const long fd = PerfEventOpen(&attr, leader ? -1 : fds_[0]);
  if (fd < 0) {
    error_number_ = errno;
    error_ = "perf_event_open(" + spec.name + ") failed: " + DescribePerfErrno(error_number_);
    return false;
  }
  fds_.push_back(static_cast<int>(fd));
  return true;
}

CounterGroup::CounterGroup(CounterGroup&& other) noexcept
    : counters_(std::move(other.counters_)),
      fds_(std::exchange(other.fds_, {})),
      error_(std::move(other.error_)),
      error_number_(other.error_number_),
      started_(other.started_),
      base_enabled_ns_(other.base_enabled_ns_),
      base_running_ns_(other.base_running_ns_) {}

CounterGroup& CounterGroup::operator=(CounterGroup&& other) noexcept {
  if (this != &other) {
    Close();
    counters_ = std::move(other.counters_);
    fds_ = std::exchange(other.fds_, {});
    error_ = std::move(other.error_);
    error_number_ = other.error_number_;
    started_ = other.started_;
    base_enabled_ns_ = other.base_enabled_ns_;
    base_running_ns_ = other.base_running_ns_;
  }
  return *this;
}

CounterGroup::~CounterGroup() { Close(); }

void CounterGroup::Close() {
  // Members first, then the leader (the kernel accepts either order; this one never leaves
  // members without their leader, even for a moment).
  for (auto it = fds_.rbegin(); it != fds_.rend(); ++it) close(*it);
  fds_.clear();
}

bool CounterGroup::Start(std::string* error) {
  std::string local;
  std::string* out = error != nullptr ? error : &local;
  if (!ok()) {
    *out = error_.empty() ? "counter group not opened" : error_;
    return false;
  }
  if (ioctl(fds_[0], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP) != 0) {
    *out = "resetting the counter group failed: " + DescribePerfErrno(errno);
    return false;
  }
  // RESET zeroes the counts but not the kernel's enabled/running times, so remember those here
  // and let Read subtract them: a group started twice scales by its own second interval.
  GroupRecord record;
  if (!ReadGroupRecord(fds_[0], fds_.size(), &record, out)) return false;
  base_enabled_ns_ = record.time_enabled;
  base_running_ns_ = record.time_running;
  if (ioctl(fds_[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP) != 0) {
    *out = "enabling the counter group failed: " + DescribePerfErrno(errno);
    return false;
  }
  started_ = true;
  return true;
}

bool CounterGroup::Stop(std::string* error) {
  if (!ok()) {
    if (error != nullptr) *error = error_.empty() ? "counter group not opened" : error_;
    return false;
  }
  if (ioctl(fds_[0], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP) != 0) {
    if (error != nullptr)
      *error = "disabling the counter group failed: " + DescribePerfErrno(errno);
    return false;
  }
  return true;
}

CounterReading CounterGroup::Read() const {
  if (!ok()) return CounterReading::Absent(error_.empty() ? "counter group not opened" : error_);
  // Never started, the kernel would report zeros: absent, so a forgotten Start cannot pass for
  // a measurement.
  if (!started_) return CounterReading::Absent("counter group never started");
  GroupRecord record;
  std::string error;
  if (!ReadGroupRecord(fds_[0], fds_.size(), &record, &error)) return CounterReading::Absent(error);
  const std::uint64_t enabled = record.time_enabled - base_enabled_ns_;
  const std::uint64_t running = record.time_running - base_running_ns_;
  if (enabled > 0 && running == 0) {
    return CounterReading::Absent("the counter group never got onto the PMU (time_running=0)");
  }
  CounterReading reading;
  reading.state = CounterReading::State::kPresent;
  reading.count = static_cast<std::uint8_t>(fds_.size());
  reading.time_enabled_ns = enabled;
  reading.time_running_ns = running;
  reading.multiplexed = running < enabled ? 1 : 0;
  for (std::size_t i = 0; i < fds_.size(); ++i) {
    CopyTruncated(counters_[i].name, &reading.names[i]);
    // Scaled as perf does: the count while running, extrapolated to the whole enabled time.
    const unsigned __int128 raw = record.values[i];
    reading.values[i] = running == 0 || running == enabled
                            ? record.values[i]
                            : static_cast<std::uint64_t>((raw * enabled + running / 2) / running);
  }
  return reading;
}

}  // namespace gilbench::harness
