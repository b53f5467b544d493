// The queue-and-handoff GIL mechanism shared by `fifo` and `prio` (handoff_gil.h).
//
// Protocol
// --------
// State, all under `mutex_`: `locked_` and `holder_`, and two lines of waiting threads (urgent,
// normal), each in arrival order. Each waiter sleeps on its own condition variable
// (GilThread::policy_state().wake, with `mutex_`) and has its own `granted` flag.
//
// Taking: if the GIL is free, take it (the lines are then empty, see below). Otherwise join the
// line the policy picks (LineOf) and sleep until `granted`. A thread takes the GIL in no other way:
// nobody races for it, so a woken waiter always finds it already its own.
//
// Dropping (Release, or OnEvalBreaker when a drop was requested): if anyone waits, Grant hands the
// GIL to the next in line (the head of the urgent line, else of the normal line): that thread
// becomes `holder_`, `locked_` stays set, its `granted` is set and it is signalled, and the new
// next in line (if any) is signalled so it starts timing its interval. Otherwise `locked_` is
// cleared. Hence a line is non-empty only while the GIL is held, and no newcomer overtakes a
// waiter.
//
// Who sets the drop request (kDropRequestBit of eval_breaker_): the next in line, after a whole
// switch interval of waiting during which the holder did not change (if it changed, the interval
// starts again); or, if the policy says so (AsksAtOnce), a waiter as soon as it joins. Waiters
// further back sleep without a timeout until they become next. Grant clears the request: it is
// answered. The holder reads it at its eval-breaker checks and, in OnEvalBreaker, drops (handing
// the GIL to the next in line: counted as a forced switch) and then queues for it again at the
// back of its line.
//
// Starvation: within a line, none (first come, first served). Between lines, the urgent line
// always goes first: see prio_gil.cc.
#include "gil/handoff_gil.h"

#include <cstdint>

namespace gilbench::gil {

HandoffGil::HandoffGil(const GilConfig& config) : Gil(config) {}

void HandoffGil::DoAcquire(GilThread* self) { Take(self, 0); }

void HandoffGil::DoRelease(GilThread* self) { Drop(self, MonotonicNs(), /*voluntary=*/true); }

void HandoffGil::OnEvalBreaker(GilThread* self) {
  AnswerBlameAsks(self);
  // Only Grant clears the request, and only the holder (we) grants, so it cannot vanish here.
  if ((eval_breaker_.load(std::memory_order_relaxed) & kDropRequestBit) == 0) return;
  const int64_t asked_ns = MonotonicNs();
  ++self->counters().eval_breaker_drops;
  // The request's author is queued until granted, so there is always someone to hand it to.
  if (Drop(self, asked_ns, /*voluntary=*/false)) self->CountForcedSwitch(asked_ns);
  Take(self, asked_ns);
}

void HandoffGil::Take(GilThread* self, int64_t asked_ns) {
  bool waited = false;
  bool handoff = true;  // a grant always comes from another thread
  {
    MutexLock lock(mutex_);
    if (locked_ && holder_ == self) FatalMisuse("Acquire by the thread that holds the GIL");
    if (!locked_) {
      locked_ = true;
      holder_ = self;
      handoff = last_holder_id_ != 0 && last_holder_id_ != self->id();
      last_holder_id_ = self->id();
      if (handoff) ++switch_number_;
    } else {
      // The trace's waiting slice starts when the thread joins its line (read under mutex_, so
      // the slices' starts give the order of the lines); the wait time counts from asked_ns.
      const int64_t queued_ns = MonotonicNs();
      if (asked_ns == 0) asked_ns = queued_ns;
      self->NoteWaiting(queued_ns);
      waited = true;
      lines_[LineOf(self)].push_back(self);
      if (AsksAtOnce(self, holder_)) RequestDrop(self);
      WaitForGrant(self);
    }
  }
  const int64_t now_ns = waited || asked_ns == 0 ? MonotonicNs() : asked_ns;
  self->NoteTaken(now_ns, waited ? asked_ns : 0, handoff);
}

void HandoffGil::WaitForGrant(GilThread* self) {
  GilThreadPolicyState& state = self->policy_state();
  while (!state.granted) {
    if (NextInLine() != self) {
      state.wake.Wait(mutex_);  // until granted or made next in line
      continue;
    }
    const uint64_t switches_before = switch_number_;
    const bool timed_out = state.wake.TimedWaitUs(mutex_, SwitchIntervalUs());
    if (state.granted) break;
    if (!timed_out) {
      // Woken without a grant: spuriously, or (prio) made next in line again after an urgent
      // waiter went first. Either way a wakeup that did not bring the GIL.
      self->CountFutileWakeup();
      continue;
    }
    // A whole interval as next in line with one holder: ask it to drop.
    if (NextInLine() == self && switch_number_ == switches_before) RequestDrop(self);
  }
  state.granted = false;
}

bool HandoffGil::Drop(GilThread* self, int64_t now_ns, bool voluntary) {
  bool handed = false;
  {
    MutexLock lock(mutex_);
    if (!locked_ || holder_ != self) FatalMisuse("Release by a thread that does not hold the GIL");
    OnDrop(self, voluntary);
    StampDrop(self, now_ns);
    if (GilThread* next = NextInLine(); next != nullptr) {
      Grant(next);
      handed = true;
    } else {
      locked_ = false;
      holder_ = nullptr;
    }
  }
  self->NoteDropped(now_ns, voluntary);
  return handed;
}

void HandoffGil::Grant(GilThread* next) {
  for (std::deque<GilThread*>& line : lines_) {
    if (!line.empty() && line.front() == next) {
      line.pop_front();
      break;
    }
  }
  holder_ = next;
  last_holder_id_ = next->id();
  ++switch_number_;
  if ((eval_breaker_.load(std::memory_order_relaxed) & kDropRequestBit) != 0) {
    eval_breaker_.fetch_and(~kDropRequestBit, std::memory_order_relaxed);
  }
  next->policy_state().granted = true;
  next->policy_state().wake.Signal();
  if (GilThread* after = NextInLine(); after != nullptr) after->policy_state().wake.Signal();
}

GilThread* HandoffGil::NextInLine() const {
  for (const std::deque<GilThread*>& line : lines_) {
    if (!line.empty()) return line.front();
  }
  return nullptr;
}

void HandoffGil::RequestDrop(GilThread* self) {
  const uint32_t before = eval_breaker_.fetch_or(kDropRequestBit, std::memory_order_relaxed);
  if ((before & kDropRequestBit) == 0) self->CountDropRequest();
}

}  // namespace gilbench::gil
