// Statistics of the program's own locks (threading.Lock, RLock, the lock of a Condition,
// Semaphore, Event, Barrier and the queues' internal waits), kept beside the GIL's: per-thread
// counters and a wait histogram, written only by the thread that owns them (a GilThread carries
// one), merged at exit into `gilvm --stats` JSON under the names docs/language.md defines.
#pragma once

#include <cstdint>
#include <string>

#include "gil/histogram.h"

namespace gilbench::gil {

// Per-thread counters, written only by their thread (no shared cache line on the hot path).
struct LockThreadCounters {
  uint64_t acquisitions = 0;  // successful acquires of a lock-like object (each acquire call
                              // that returned True; a semaphore's acquire counts once)
  uint64_t contended = 0;     // ... of which had to block (the first, non-blocking try failed)
  // ... of which took the lock straight from a releasing thread: another thread released it
  // while this one was blocked waiting for it, and no third thread took it in between (see
  // docs/language.md, "Lock statistics").
  uint64_t handoffs = 0;
  uint64_t wait_ns_total = 0;  // time blocked in acquires that had to wait (timed-out ones too)
  uint64_t queue_items_put = 0;
  uint64_t queue_items_got = 0;
  uint64_t queue_wait_ns_total = 0;         // time the items got had sat in their queue
  uint64_t queue_get_blocked_ns_total = 0;  // time blocked in get() waiting for an item
  uint64_t queue_put_blocked_ns_total = 0;  // time blocked in put() waiting for room

  LockThreadCounters& operator+=(const LockThreadCounters& other);
};

struct LockThreadStats {
  LockThreadCounters counters;
  // One record per acquire that had to block: how long it waited (to success or timeout).
  LogLinearHistogram wait_ns;

  LockThreadStats& operator+=(const LockThreadStats& other);
};

// Appends the lock_* and queue_* keys of `stats` to a JSON object being written, each followed
// by a comma.
void AppendLockStatsFields(std::string* out, const LockThreadStats& stats);

}  // namespace gilbench::gil
