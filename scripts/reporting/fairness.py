"""How evenly the threads of a row shared the GIL: Jain's fairness index of the workers' GIL
holding time (and of their work, the VM's ticks) over the window in which all of them were
running -- from the start until the first finished. 1 is perfectly even; 1/n is one thread having
it all. gilbench measures it on `threads` rows of two workers or more (`fairness_hold`,
`fairness_work`); CPython reports nothing of the kind.

A `processes` row's children (and a `subinterp` threads row's threads) each do an equal share of
the job with no GIL in common, so what
can be uneven is how fast each went: Jain's index of their shares of a CPU (CPU time over wall
time, `fairness_cpu`) and of their rates of work (`fairness_work`). A low index there means the
machine gave one child less CPU than another (a busy machine, or children sharing a core).

An I/O row is uneven by design (its I/O thread needs the GIL for a moment per message): the index
says how the GIL was shared, not whether that was wrong. For CPU-bound rows, whose workers have
equal shares of the same work, a low index means one thread kept winning the GIL back (Python 2's
GIL on several cores is the classic case)."""

from . import fmt
from .doc import Para, Table
from .runs import CPU_WORKLOADS, IO_WORKLOADS

FLAG_BELOW = 0.8


def rows(results):
    """The threads and processes runs that carry the index, in display order."""
    return [r for r in results.select(lambda k: k.mode in ("threads", "processes")
                                      and k.interval_us is None)
            if r.ok and (r.has("fairness_hold") or r.has("fairness_cpu"))]


def _share(run):
    """The first index: GIL holding time (a shared GIL) or CPU share (processes, subinterp)."""
    return run.median("fairness_hold" if run.has("fairness_hold") else "fairness_cpu")


def blocks(results):
    """The section "How evenly the workers progressed" (without its heading)."""
    runs = rows(results)
    if not runs:
        return [Para("No threads row here carries gilbench's fairness index (`fairness_hold`): "
                     "a run by an older gilbench, or no row of two threads or more.")]
    table_rows, flagged = [], []
    for run in runs:
        hold, work = _share(run), run.median("fairness_work")
        cpu_bound = run.key.workload in CPU_WORKLOADS
        mark = " ⚑" if cpu_bound and hold < FLAG_BELOW else ""
        if mark:
            flagged.append("%s/%s" % (run.key.workload, run.key.short()))
        table_rows.append([run.key.workload, run.key.policy, run.key.mode, run.key.placement,
                           str(run.key.n),
                           "%.2f%s" % (hold, mark), "%.2f" % work if work is not None
                           else fmt.DASH])
    out = [Para("Jain's index of the workers' GIL holding time and of their work (the VM's "
                "count of loop iterations and calls) while all of them were running: 1 is even, "
                "1/n is one thread having it all. A processes row's children (and a subinterp "
                "row's threads) share no GIL: their indexes are of their shares of a CPU and of "
                "their rates of work. Medians over the repetitions.")]
    table = Table(["workload", "policy", "mode", "placement", "n",
                   "GIL holding (shared GIL) / CPU share (side by side)", "work"], table_rows,
                  ["l", "l", "l", "l", "r", "r", "r"])
    table.notes.append(
        "⚑ CPU-bound rows below %.1f: equal shares of the same work, yet one thread kept the GIL "
        "for most of the time (a shared GIL), or one worker got less of a CPU (side by side). "
        "The I/O rows (%s) are uneven by design: their I/O thread needs the GIL only for a "
        "moment per message." % (FLAG_BELOW, ", ".join(IO_WORKLOADS)))
    out.append(table)
    if flagged:
        out.append(Para("Uneven: %s." % ", ".join("`%s`" % name for name in flagged)))
    return out
