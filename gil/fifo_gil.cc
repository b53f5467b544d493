// The `fifo` GIL policy: a fair GIL.
//
// Protocol (the queue-and-handoff mechanism of handoff_gil.cc, with one line)
// --------
// Who waits on what: a thread that finds the GIL held joins one queue, in arrival order, and
// sleeps on its own condition variable until the GIL is granted to it. Only the head of the queue
// times its wait.
// Who sets the drop request: the head of the queue, after one switch interval of waiting with the
// same holder. The holder sees it at its next eval-breaker check, hands the GIL straight to the
// head (a forced switch: the head becomes the owner without racing anyone) and joins the back of
// the queue. A voluntary release (I/O, sleep, thread exit) hands off to the head too.
// Starvation: none. The GIL only ever passes to the head of the queue, and a newcomer never takes
// a free GIL while anyone queues (the queue is non-empty only while the GIL is held), so no waiter
// is passed over: grants follow arrival order exactly. A waiter waits at most one interval (plus
// the time to the holder's next check) per thread ahead of it. The price is a context switch at
// every handoff, even where letting the releaser go on would have been cheaper.
#include "gil/fifo_gil.h"

namespace gilbench::gil {

int FifoGil::LineOf(const GilThread* /*self*/) const { return kNormal; }

bool FifoGil::AsksAtOnce(const GilThread* /*self*/, const GilThread* /*holder*/) const {
  return false;
}

void FifoGil::OnDrop(GilThread* /*self*/, bool /*voluntary*/) {}

}  // namespace gilbench::gil
