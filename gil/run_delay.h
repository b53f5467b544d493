// The calling thread's run delay -- the time it has spent runnable but waiting for a CPU -- as the
// scheduler keeps it in /proc/thread-self/schedstat (field 2, ns). The GIL reads it when a thread
// starts waiting and when its wait ends in a handoff, so that a handoff gap can be split into
// waking the next holder and that holder waiting for a CPU (docs/design.md, "Where the extra
// time went"). The kernel adds to the figure when the thread gets a CPU, so a running thread
// reads a total that includes the delay before its current run -- exactly what a taker that has
// just woken needs.
//
// One descriptor per thread, opened on first use by that thread and read with pread (about
// 0.7-1 us). GILBENCH_NO_PROC_SCHED=1 makes it unreadable, as it does the harness's scheduler
// probes, so tests can check that the figure is then absent.
#pragma once

#include <cstdint>
#include <optional>

namespace gilbench::gil {

class RunDelayReader {
 public:
  RunDelayReader() = default;
  ~RunDelayReader();
  RunDelayReader(const RunDelayReader&) = delete;
  RunDelayReader& operator=(const RunDelayReader&) = delete;

  // The calling thread's run delay so far, or nullopt when it cannot be read. Must always be
  // called from the same thread (the descriptor names the thread that opened it).
  std::optional<uint64_t> Read();
  // Closes the descriptor (a retired thread's record keeps none open); Read fails afterwards.
  void Close();

 private:
  int fd_ = -1;
  bool failed_ = false;  // opening failed once: do not try again on every handoff
};

}  // namespace gilbench::gil
