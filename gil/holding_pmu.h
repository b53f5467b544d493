// Hardware counters over the GIL's holdings: cycles and instructions of the calling thread, read
// where a tenure begins and ends (stats.h, hold_offcpu_ns), so that a row can give the holder's
// effective frequency (cycles per µs on CPU) and IPC while it held the GIL -- the "same work done
// more slowly" part of the decomposition, seen from the PMU (docs/design.md, "The VM as its own
// performance counter").
//
// A group of two user-level events (exclude_kernel, as perf_event_paranoid 2 allows), opened by
// the thread itself on its first read, read whole with PERF_FORMAT_GROUP. Where the PMU cannot be
// opened (no vPMU: ENOENT; paranoid 3; GILBENCH_NO_PMU=1) every read is empty and costs nothing
// more. A reading taken while the kernel multiplexed the group (time running < time enabled) is
// empty too: a delta of scaled totals would be a guess, and the figure is then reported absent.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

namespace gilbench::gil {

class HoldingPmu {
 public:
  struct Event {
    uint32_t type;    // perf_event_attr.type
    uint64_t config;  // perf_event_attr.config
  };
  // The two counts of a reading, in the order of the events.
  using Sample = std::array<uint64_t, 2>;

  // Cycles and instructions; tests pass software events to exercise the same path where no PMU
  // exists.
  HoldingPmu();
  explicit HoldingPmu(std::array<Event, 2> events) : events_(events) {}
  ~HoldingPmu();
  HoldingPmu(const HoldingPmu&) = delete;
  HoldingPmu& operator=(const HoldingPmu&) = delete;

  // The calling thread's counts so far, or nullopt (no PMU, or multiplexed). Always from the same
  // thread: the group counts the thread that opened it.
  std::optional<Sample> Read();
  // Closes the group (a retired thread's record keeps none open); Read fails afterwards.
  void Close();
  // False once opening failed or Close was called (then Read never tries again).
  bool usable() const { return !failed_; }

 private:
  bool Open();

  std::array<Event, 2> events_;
  int leader_fd_ = -1;
  int member_fd_ = -1;
  bool failed_ = false;
};

}  // namespace gilbench::gil
