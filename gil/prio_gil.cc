// The `prio` GIL policy, after David Beazley's 2010 proposal for the new GIL ("I/O-bound threads
// get priority", python.org issue 7946).
//
// Protocol (the queue-and-handoff mechanism of handoff_gil.cc, with two lines)
// --------
// Each thread is classed by how it last gave the GIL up, recorded at the drop under the
// mechanism's mutex (policy_state().io_bound): a voluntary Release (I/O, sleep) makes it
// I/O-bound; a drop forced in OnEvalBreaker makes it CPU-bound. A new thread counts as CPU-bound
// until it first releases.
// Who waits on what: a thread that finds the GIL held joins the urgent line if it is I/O-bound,
// the normal line if CPU-bound, and sleeps on its own condition variable until granted. A drop
// hands the GIL to the head of the urgent line, else to the head of the normal line.
// Who sets the drop request: an I/O-bound thread sets it as soon as it queues, if the holder is
// CPU-bound: it does not wait an interval, so a CPU-bound holder gives way at its next
// eval-breaker check (and becomes, or stays, CPU-bound). Otherwise the next in line sets it after
// one switch interval with the same holder, as in fifo. This removes the convoy effect: an I/O
// thread waits for one eval-breaker check, not a whole interval, each time it comes back.
// Starvation: CPU-bound threads can starve. Every drop goes to an I/O-bound waiter when there is
// one, so a steady stream of I/O-bound threads (one always back in the urgent line by the time
// the GIL is dropped) keeps a waiting CPU-bound thread out indefinitely. Within a line there is no
// starvation (arrival order). I/O-bound threads cannot starve each other for long either: an
// I/O-bound holder is asked to drop only after an interval, and then becomes CPU-bound.
#include "gil/prio_gil.h"

namespace gilbench::gil {

int PrioGil::LineOf(const GilThread* self) const {
  return self->policy_state().io_bound ? kUrgent : kNormal;
}

bool PrioGil::AsksAtOnce(const GilThread* self, const GilThread* holder) const {
  return self->policy_state().io_bound && !holder->policy_state().io_bound;
}

void PrioGil::OnDrop(GilThread* self, bool voluntary) { self->policy_state().io_bound = voluntary; }

}  // namespace gilbench::gil
