// Merging and the JSON form of the GIL's statistics (stats.h).
#include "gil/stats.h"

#include <iterator>
#include <string>
#include <string_view>

#include "gil/json_writer.h"

namespace gilbench::gil {
// Every counter, for the sums. A field added to GilThreadCounters and not listed here fails the
// static_assert: a forgotten field would silently never be summed across threads.
constexpr uint64_t GilThreadCounters::*kCounterFields[] = {
    &GilThreadCounters::acquisitions,
    &GilThreadCounters::handoffs,
    &GilThreadCounters::reacquisitions,
    &GilThreadCounters::futile_wakeups,
    &GilThreadCounters::drop_requests,
    &GilThreadCounters::forced_switches,
    &GilThreadCounters::eval_breaker_drops,
    &GilThreadCounters::wait_ns_total,
    &GilThreadCounters::hold_ns_total,
    &GilThreadCounters::gap_ns_total,
    &GilThreadCounters::vm_ticks,
    &GilThreadCounters::holdings_after_move,
    &GilThreadCounters::vm_ticks_after_move,
    &GilThreadCounters::hold_ns_after_move,
    &GilThreadCounters::hold_offcpu_ns,
    &GilThreadCounters::tenures,
    &GilThreadCounters::gap_cpu_wait_ns,
    &GilThreadCounters::gap_cpu_wait_unread,
    &GilThreadCounters::idle_ns,
    &GilThreadCounters::hold_cycles,
    &GilThreadCounters::hold_instructions,
    &GilThreadCounters::hold_pmu_cpu_ns,
    &GilThreadCounters::hold_pmu_unread,
};
static_assert(sizeof(GilThreadCounters) == std::size(kCounterFields) * sizeof(uint64_t),
              "a GilThreadCounters field is missing from kCounterFields");

GilThreadCounters& GilThreadCounters::operator+=(const GilThreadCounters& other) {
  for (uint64_t GilThreadCounters::*field : kCounterFields) this->*field += other.*field;
  return *this;
}

GilThreadStats& GilThreadStats::operator+=(const GilThreadStats& other) {
  counters += other.counters;
  wait_ns.Merge(other.wait_ns);
  hold_ns.Merge(other.hold_ns);
  locks += other.locks;
  return *this;
}

void AppendStatsFields(std::string* out, const GilThreadStats& stats) {
  const GilThreadCounters& c = stats.counters;
  AppendJsonField(out, "gil_acquisitions", c.acquisitions);
  AppendJsonField(out, "gil_handoffs", c.handoffs);
  AppendJsonField(out, "gil_reacquisitions", c.reacquisitions);
  AppendJsonField(out, "gil_futile_wakeups", c.futile_wakeups);
  AppendJsonField(out, "gil_drop_requests", c.drop_requests);
  AppendJsonField(out, "gil_forced_switches", c.forced_switches);
  AppendJsonField(out, "gil_eval_breaker_drops", c.eval_breaker_drops);
  AppendJsonField(out, "gil_wait_ns_total", c.wait_ns_total);
  AppendJsonPercentiles(out, "gil_wait_ns", stats.wait_ns);
  AppendJsonField(out, "gil_hold_ns_total", c.hold_ns_total);
  AppendJsonPercentiles(out, "gil_hold_ns", stats.hold_ns);
  AppendJsonField(out, "gil_gap_ns_total", c.gap_ns_total);
  AppendJsonField(out, "vm_ticks", c.vm_ticks);
  AppendJsonField(out, "gil_holdings_after_move", c.holdings_after_move);
  AppendJsonField(out, "vm_ticks_after_move", c.vm_ticks_after_move);
  AppendJsonField(out, "gil_hold_ns_after_move", c.hold_ns_after_move);
  AppendJsonField(out, "gil_hold_offcpu_ns", c.hold_offcpu_ns);
  AppendJsonField(out, "gil_tenures", c.tenures);
  // Absent rather than short when some gap's run delay could not be read.
  if (c.gap_cpu_wait_unread == 0) AppendJsonField(out, "gil_gap_cpu_wait_ns", c.gap_cpu_wait_ns);
  AppendJsonField(out, "gil_idle_ns", c.idle_ns);
  // Only where every tenure was counted (never a partial sum): no PMU, no keys.
  if (c.HoldPmuComplete()) {
    AppendJsonField(out, "gil_hold_cycles", c.hold_cycles);
    AppendJsonField(out, "gil_hold_instructions", c.hold_instructions);
    AppendJsonField(out, "gil_hold_pmu_cpu_ns", c.hold_pmu_cpu_ns);
  }
  AppendLockStatsFields(out, stats.locks);
}

}  // namespace gilbench::gil
