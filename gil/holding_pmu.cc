#include "gil/holding_pmu.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace gilbench::gil {
namespace {

long OpenEvent(const HoldingPmu::Event& event, int group_fd) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = event.type;
  attr.config = event.config;
  attr.disabled = 0;  // counts from the open on; readings are differenced
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  attr.read_format =
      PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  return syscall(SYS_perf_event_open, &attr, /*pid=*/0, /*cpu=*/-1, group_fd, PERF_FLAG_FD_CLOEXEC);
}

bool PmuDisabledByEnvironment() {
  const char* value = std::getenv("GILBENCH_NO_PMU");
  return value != nullptr && value[0] != '\0' && std::strcmp(value, "0") != 0;
}

}  // namespace

HoldingPmu::HoldingPmu()
    : events_{Event{PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
              Event{PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS}} {}

HoldingPmu::~HoldingPmu() { Close(); }

void HoldingPmu::Close() {
  if (member_fd_ >= 0) close(member_fd_);
  if (leader_fd_ >= 0) close(leader_fd_);
  member_fd_ = leader_fd_ = -1;
  failed_ = true;
}

bool HoldingPmu::Open() {
  if (PmuDisabledByEnvironment()) return false;
  leader_fd_ = static_cast<int>(OpenEvent(events_[0], -1));
  if (leader_fd_ < 0) return false;
  member_fd_ = static_cast<int>(OpenEvent(events_[1], leader_fd_));
  return member_fd_ >= 0;
}

std::optional<HoldingPmu::Sample> HoldingPmu::Read() {
  if (failed_) return std::nullopt;
  if (leader_fd_ < 0 && !Open()) {
    failed_ = true;
    return std::nullopt;
  }
  // PERF_FORMAT_GROUP with both times: nr, time_enabled, time_running, then one value per event.
  uint64_t data[5] = {};
  if (read(leader_fd_, data, sizeof data) != static_cast<ssize_t>(sizeof data) || data[0] != 2) {
    return std::nullopt;
  }
  if (data[2] < data[1]) return std::nullopt;  // multiplexed: the counts are not whole
  return Sample{data[3], data[4]};
}

}  // namespace gilbench::gil
