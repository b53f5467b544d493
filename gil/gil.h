// The GIL interface that the interpreter calls, and the factory that builds a policy by name.
//
// The interpreter touches the GIL at exactly these points (shared/DESIGN.md):
//   - Acquire: when a thread starts, and after a blocking call (sleep, os.read, join, ...).
//   - Release: before a blocking call, and when a thread exits.
//   - the eval breaker: on backward jumps and calls the interpreter loads `eval_breaker()`
//     (one relaxed atomic load); when it is non-zero it calls OnEvalBreaker(), where the policy
//     decides whether to drop the GIL and take it back (a "forced" drop) or to do nothing.
// Each OS thread that runs bytecode owns one GilThread record, passed to every call; policies keep
// their per-thread state and counters there, so the hot path writes no shared cache line.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace gilbench::gil {

// The knobs of every policy (shared/DESIGN.md, gilvm's command line).
struct GilConfig {
  std::string policy = "py3";         // py2 | py3 | fifo | prio | subinterp
  int64_t switch_interval_us = 5000;  // interval-based policies (py3, fifo, prio)
  int64_t check_interval = 100;       // ticks of the py2 policy
  bool forced_switch = true;          // py3: the dropper waits until another thread took over
};

// Per-thread counters, written only by the thread that owns them (no shared cache line on the hot
// path); read by others only after the thread has ended or under the GIL.
struct GilThreadCounters {
  uint64_t acquisitions = 0;     // times this thread took the GIL
  uint64_t handoffs = 0;         // ... of which the previous holder was another thread
  uint64_t futile_wakeups = 0;   // woke up in a wait and found the GIL held again
  uint64_t drop_requests = 0;    // drop requests this thread set while waiting
  uint64_t forced_switches = 0;  // drops on request that waited for another thread to take over
  uint64_t wait_ns_total = 0;    // time from asking to holding, summed
  // Added with py3: drops made in OnEvalBreaker because a drop was requested, whether or not
  // they then waited (forced_switches counts those that did). Each is followed by a re-take, so
  // acquisitions == Acquire calls + requested_drops, for every thread.
  uint64_t requested_drops = 0;

  // Sums another thread's counters into these (for totals over a run).
  GilThreadCounters& operator+=(const GilThreadCounters& other) {
    acquisitions += other.acquisitions;
    handoffs += other.handoffs;
    futile_wakeups += other.futile_wakeups;
    drop_requests += other.drop_requests;
    forced_switches += other.forced_switches;
    wait_ns_total += other.wait_ns_total;
    requested_drops += other.requested_drops;
    return *this;
  }
};

// One record per thread that uses a Gil. Created by the thread's owner (the interpreter), with a
// small id unique within the Gil (1, 2, ...), and outliving every call the thread makes.
class GilThread {
 public:
  explicit GilThread(uint32_t id) : id_(id) {}
  uint32_t id() const { return id_; }
  GilThreadCounters& counters() { return counters_; }
  const GilThreadCounters& counters() const { return counters_; }

 private:
  uint32_t id_;
  GilThreadCounters counters_;
};

class Gil {
 public:
  virtual ~Gil() = default;

  // Blocks until `self` holds the GIL. Requires: `self` does not hold it.
  virtual void Acquire(GilThread* self) = 0;

  // Gives the GIL up voluntarily (before a blocking call or at thread exit). Requires: `self`
  // holds it. Never waits for another thread.
  virtual void Release(GilThread* self) = 0;

  // Called by the holder when eval_breaker() is non-zero. The policy may drop the GIL (forced
  // switch) and re-acquire it before returning. Requires and ensures: `self` holds the GIL.
  virtual void OnEvalBreaker(GilThread* self) = 0;

  // Non-zero when the holder should call OnEvalBreaker() at its next check. The interpreter reads
  // it with a relaxed load at every backward jump and call; the policies set it.
  const std::atomic<uint32_t>& eval_breaker() const { return eval_breaker_; }

  // Bits of eval_breaker(). Policies set and clear them; the interpreter only tests for non-zero.
  static constexpr uint32_t kDropRequestBit = 1u << 0;  // a waiter asks the holder to drop

  // Knobs that sys.setswitchinterval / sys.setcheckinterval change at run time.
  virtual void SetSwitchIntervalUs(int64_t us) = 0;
  virtual int64_t SwitchIntervalUs() const = 0;
  virtual void SetCheckInterval(int64_t ticks) = 0;
  virtual int64_t CheckInterval() const = 0;

  virtual const char* PolicyName() const = 0;

 protected:
  std::atomic<uint32_t> eval_breaker_{0};
};

// Builds the policy `config.policy`. Returns null and sets `error` (one line, for the user) when
// the policy is unknown or not built yet.
std::unique_ptr<Gil> MakeGil(const GilConfig& config, std::string* error);

}  // namespace gilbench::gil
