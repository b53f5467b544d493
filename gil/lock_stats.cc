// Merging and the JSON form of the lock statistics (lock_stats.h).
#include "gil/lock_stats.h"

#include <iterator>
#include <string>
#include <string_view>

#include "gil/json_writer.h"

namespace gilbench::gil {
// Every counter, for the sums; the static_assert catches a field left out of the list.
constexpr uint64_t LockThreadCounters::*kLockCounterFields[] = {
    &LockThreadCounters::acquisitions,
    &LockThreadCounters::contended,
    &LockThreadCounters::handoffs,
    &LockThreadCounters::wait_ns_total,
    &LockThreadCounters::queue_items_put,
    &LockThreadCounters::queue_items_got,
    &LockThreadCounters::queue_wait_ns_total,
    &LockThreadCounters::queue_get_blocked_ns_total,
    &LockThreadCounters::queue_put_blocked_ns_total,
};
static_assert(sizeof(LockThreadCounters) == std::size(kLockCounterFields) * sizeof(uint64_t),
              "a LockThreadCounters field is missing from kLockCounterFields");

LockThreadCounters& LockThreadCounters::operator+=(const LockThreadCounters& other) {
  for (uint64_t LockThreadCounters::*field : kLockCounterFields) this->*field += other.*field;
  return *this;
}

LockThreadStats& LockThreadStats::operator+=(const LockThreadStats& other) {
  counters += other.counters;
  wait_ns.Merge(other.wait_ns);
  return *this;
}

void AppendLockStatsFields(std::string* out, const LockThreadStats& stats) {
  const LockThreadCounters& c = stats.counters;
  AppendJsonField(out, "lock_acquisitions", c.acquisitions);
  AppendJsonField(out, "lock_contended", c.contended);
  AppendJsonField(out, "lock_handoffs", c.handoffs);
  AppendJsonField(out, "lock_wait_ns_total", c.wait_ns_total);
  AppendJsonPercentiles(out, "lock_wait_ns", stats.wait_ns);
  AppendJsonField(out, "queue_items_put", c.queue_items_put);
  AppendJsonField(out, "queue_items_got", c.queue_items_got);
  AppendJsonField(out, "queue_wait_ns_total", c.queue_wait_ns_total);
  AppendJsonField(out, "queue_get_blocked_ns_total", c.queue_get_blocked_ns_total);
  AppendJsonField(out, "queue_put_blocked_ns_total", c.queue_put_blocked_ns_total);
}

}  // namespace gilbench::gil
