// The `subinterp` GIL policy: each thread is its own interpreter with its own GIL, as PEP 684's
// per-interpreter GIL makes possible. The upper bound of what threads could reach.
//
// Protocol
// --------
// Each thread's GIL is the mutex in its own GilThread (policy_state().own_lock). Acquire locks it
// and Release unlocks it; no other thread ever touches it, so it is never contended: nobody waits,
// nobody sets a drop request, eval_breaker() stays zero and OnEvalBreaker is never called (it does
// nothing if it is). The lock is still taken, so the cost of an uncontended GIL stays in the
// figures. Starvation cannot happen: there is nothing to share.
//
// The interpreter's half (a separate interpreter state per thread: nothing mutable shared, what is
// shared immortal and immutable) lives in the VM; this policy only removes the lock's contention.
#include "gil/subinterp_gil.h"

namespace gilbench::gil {

void SubinterpGil::DoAcquire(GilThread* self) {
  GilThreadPolicyState& state = self->policy_state();
  if (state.own_held) FatalMisuse("Acquire by the thread that holds the GIL");
  state.own_lock.Lock();
  state.own_held = true;
  // Its own GIL: every take is a re-take by the only thread that ever holds it.
  self->NoteTaken(MonotonicNs(), 0, /*handoff=*/false);
}

void SubinterpGil::DoRelease(GilThread* self) {
  GilThreadPolicyState& state = self->policy_state();
  if (!state.own_held) FatalMisuse("Release by a thread that does not hold the GIL");
  const int64_t now_ns = MonotonicNs();
  state.own_held = false;
  state.own_lock.Unlock();
  self->NoteDropped(now_ns, /*voluntary=*/true);
}

void SubinterpGil::OnEvalBreaker(GilThread* /*self*/) {}

}  // namespace gilbench::gil
