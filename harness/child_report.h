// The fixed-size record a `processes` child sends its parent through a pipe when its share of
// the job is done: its result, its own figures for the timed part, and where it ran. Trivially
// copyable, written and read whole (the parent reads until it has every byte).
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "gil/stats.h"
#include "harness/perf_counters.h"
#include "harness/run_figures.h"

namespace gilbench::harness {

struct ChildReport {
  static constexpr uint32_t kMagic = 0x47424352;  // "GBCR": a sanity check on the read

  uint32_t magic = kMagic;
  uint32_t ok = 0;           // 1 when the child's worker finished without an error
  int32_t last_cpu = -1;     // the PU the worker last ran on (the binding check)
  int32_t memory_bound = 0;  // 1: the placement bound memory too (numa) and the binding took
  int64_t checksum = 0;
  int64_t wall_ns = 0;  // from the go byte to the end of the child's work (its critical path)
  Usage usage;          // getrusage(RUSAGE_SELF) of the child across its timed part
  CounterReading counters;
  SchedReading sched;
  gil::GilThreadStats gil;
  char error[1024] = {};  // when !ok: the worker's error or the set-up failure, truncated

  void SetError(std::string_view text) {
    const size_t n = text.size() < sizeof(error) - 1 ? text.size() : sizeof(error) - 1;
    text.copy(error, n);
    error[n] = '\0';
  }
};
static_assert(std::is_trivially_copyable_v<ChildReport>, "sent through a pipe as bytes");

}  // namespace gilbench::harness
