// The GIL's statistics: per-thread counters and wait/hold histograms, and their JSON form under
// the metric names of docs/design.md. Each thread writes only its own (no shared cache line on
// the hot path); Gil::StatsJson merges them once the threads have retired.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gil/histogram.h"
#include "gil/lock_stats.h"

namespace gilbench::gil {

// Per-thread counters, written only by the thread that owns them; read by others only after the
// thread has retired (or under the GIL, for a rough live view).
struct GilThreadCounters {
  uint64_t acquisitions = 0;     // times this thread took the GIL
  uint64_t handoffs = 0;         // ... of which the previous holder was another thread
  uint64_t reacquisitions = 0;   // ... of which it was this thread, or nobody (the first take);
                                 // so acquisitions == handoffs + reacquisitions, always
  uint64_t futile_wakeups = 0;   // woke up in a wait and found the GIL was still not ours
  uint64_t drop_requests = 0;    // drop requests this thread set while waiting
  uint64_t forced_switches = 0;  // requested drops that waited for, or handed the GIL straight
                                 // to, another thread
  // Drops made in OnEvalBreaker: on request (py3, fifo, prio) or at the check interval (py2).
  // Each is followed by a re-take, so acquisitions == Acquire calls + eval_breaker_drops.
  uint64_t eval_breaker_drops = 0;
  uint64_t wait_ns_total = 0;  // time from asking to holding, summed
  uint64_t hold_ns_total = 0;  // time from taking to dropping, summed
  // Of wait_ns_total, in handoffs only: the time the GIL lay free (from the last drop by anyone
  // until this take) while this thread wanted it -- the handoff's own latency.
  uint64_t gap_ns_total = 0;
  // The work done while holding, as the VM counts it: eval-breaker checks (back edges and
  // calls), flushed by the interpreter before the GIL can be dropped (GilThread::AddTicks).
  uint64_t vm_ticks = 0;
  // Holdings that began on another CPU than this thread's previous one, and their share of the
  // ticks and the holding time: the work rate right after a change of core.
  uint64_t holdings_after_move = 0;
  uint64_t vm_ticks_after_move = 0;
  uint64_t hold_ns_after_move = 0;
  // Time this thread held the GIL without running: preempted (or faulting) while holding. Summed
  // over tenures -- runs of holdings that no other thread's holding interrupted -- as wall time
  // minus the thread's CPU time, read when a tenure begins and ends (a thread CPU clock read is a
  // system call, ~0.5 us: once per tenure, not per holding).
  uint64_t hold_offcpu_ns = 0;
  uint64_t tenures = 0;
  // Of gap_ns_total: the time the new holder spent runnable but without a CPU during its wait
  // (the scheduler's run delay, read when it began to wait and when it took the GIL; at most
  // the gap). gap_cpu_wait_unread counts the gaps whose run delay could not be read: while it
  // is non-zero the figure is incomplete and is reported absent, never as a smaller number.
  uint64_t gap_cpu_wait_ns = 0;
  uint64_t gap_cpu_wait_unread = 0;
  // Time the GIL lay idle: no thread held it or wanted it (every thread that uses it was blocked
  // in I/O, a sleep, a join), booked by the thread that ended the idle time by asking for it.
  uint64_t idle_ns = 0;
  // Hardware counts over the tenures (holding_pmu.h): user-level cycles and instructions, and
  // the CPU time of the tenures they were read over -- for the effective frequency and IPC while
  // holding. hold_pmu_unread counts tenures without a reading (no PMU, multiplexed): while it is
  // non-zero the figures are reported absent.
  uint64_t hold_cycles = 0;
  uint64_t hold_instructions = 0;
  uint64_t hold_pmu_cpu_ns = 0;
  uint64_t hold_pmu_unread = 0;

  GilThreadCounters& operator+=(const GilThreadCounters& other);
  // Every tenure had its hardware counts read, and there was at least one.
  bool HoldPmuComplete() const { return hold_pmu_unread == 0 && hold_pmu_cpu_ns > 0; }
};

// Everything one thread measured: its counters and the distributions of its waits and holdings.
// Every acquisition records one wait (0 when the GIL was free) and every drop one holding.
struct GilThreadStats {
  GilThreadCounters counters;
  LogLinearHistogram wait_ns;
  LogLinearHistogram hold_ns;
  // The program's own locks and queues (lock_stats.h), reported beside the GIL's figures.
  LockThreadStats locks;

  GilThreadStats& operator+=(const GilThreadStats& other);
};

// Appends the metric keys of `stats` ("gil_acquisitions": ..., "gil_hold_ns_max": ...) to a JSON
// object being written, each followed by a comma.
void AppendStatsFields(std::string* out, const GilThreadStats& stats);

}  // namespace gilbench::gil
