"""Where a threads or processes row's time went: measured parts that add up, and the residual
that shows how well they do.

For a `threads` row of the VM against its `seq` row (same workload, policy and placement), per
round in which both ran (means over the rounds, which add up where medians would not):

  extra       = wall(threads) - wall(seq)
  (a) gaps    = gil_gap_ns_total - gil_gap_cpu_wait_ns: the GIL lay free while a thread wanted
                it, and the thread it went to was not yet running (waking it: handoff latency)
  (d) CPU wait = gil_gap_cpu_wait_ns: within those gaps, the thread the GIL went to was runnable
                but had no CPU (the scheduler's run delay, read from schedstat at each handoff)
  (b) off CPU = gil_hold_offcpu_ns(threads) - gil_hold_offcpu_ns(seq): the holder was not running
                while it held the GIL (preempted by another thread or process, or faulting)
  (c) slower  = on-CPU holding time(threads) - vm_ticks(threads) x on-CPU holding time per tick
                (seq): the same work done more slowly while holding and running (cache and
                frequency effects, a change of core)
  (e) idle    = gil_idle_ns(threads) - gil_idle_ns(seq): no thread held or wanted the GIL --
                every one was blocked in I/O, sleep or a join
  residual    = extra - (a + b + c + d + e): what these parts do not explain (thread start and
                join, time outside the GIL's bookkeeping)

Each part is measured on its own (the GIL's clocks, the scheduler's run delay, the thread CPU
clock, the VM's tick count); none is derived from another, so the residual is a real check of the
accounting. (d) and (e) need gilbench's newer counters; without them (a) is the whole gap and
(e) is in the residual.

A `processes` row has no GIL in common: its children run side by side, so its time is set against
an even split of the seq row's, by the slowest child (the run's critical path). A `threads` row
under `subinterp` (a GIL per thread) is the same case, its slowest thread in place of the child:

  extra          = wall(processes) - wall(seq) / n
  start, collect = wall(processes) - wall(slowest child): starting the workers, collecting results
  slower         = CPU time(slowest) - vm_ticks(slowest) x CPU time per tick (seq)
  CPU wait       = run delay(slowest) - vm_ticks(slowest) x run delay per tick (seq)
  uneven split   = (vm_ticks(slowest) - vm_ticks(seq) / n) x (CPU time + run delay) per tick
                   (seq): the slowest child had more than its share of the work
                   (CPython counts no ticks: its slower part is CPU time(slowest) - CPU time
                   (seq) / n, and CPU wait run delay(slowest) - run delay(seq) / n, with any
                   uneven split inside them)
  residual       = extra minus those: the slowest child's time neither on a CPU nor waiting for
                   one (blocked, faulting), beyond the seq row's share of the same

CPython reports no GIL figures, so its rows get what the scheduler shows for the same workers:
more CPU time than one thread (task_clock_ns), and the rest -- which is where CPython's GIL
waits, handoffs and preemptions are, unmeasured.
"""

import statistics

from . import claims, runs, stats
from .runs import TIME

VM_PARTS = (("gaps", "GIL handoff gaps"), ("cpuwait", "next holder waiting for a CPU"),
            ("offcpu", "holder off CPU while holding"), ("slower", "slower execution while holding"),
            ("idle", "all threads blocked"))
# Parts that older runs (or a machine without schedstat) do not have: a row without them gets
# the others, and the part's time stays in another part (cpuwait in gaps) or the residual.
OPTIONAL_VM = {"cpuwait": "gil_gap_cpu_wait_ns", "idle": "gil_idle_ns"}
PROCESS_PARTS = (("startup", "starting and collecting the workers"),
                 ("slower", "slower execution"), ("cpuwait", "waiting for a CPU"),
                 ("imbalance", "uneven split of the work"))
# CPython's rows have one part. The threads' run delay (time runnable but without a CPU) is no
# part of the wall time: while one thread waits for a CPU the other may be running Python, and
# only the GIL holder's delay would count -- which thread held CPython's GIL, nothing here can
# tell. (On a busy 2-core VM the two threads' run delay summed to 1.5 s against 52 ms of extra
# wall time.)
CPYTHON_PARTS = (("cpu", "more CPU time than one thread"),)
# The parts in a sentence, for a reader who has not seen the table's terms.
SENTENCE_WORDS = {
    "gaps": "the GIL lying free between threads (handoffs)",
    "offcpu": "the GIL's holder not running -- another thread or process had its CPU",
    "slower": "the same Python code running slower while holding the GIL",
    "cpu": "the threads using more CPU time than one thread",
    "cpuwait": "the thread the GIL went to waiting for a CPU",
    "idle": "every thread blocked (I/O, sleep) with the GIL free",
}

# Policies whose threads do not share a GIL: the threads decomposition's premise (one holder at a
# time) does not hold; their threads run side by side, and are split as processes are.
PARALLEL_POLICIES = ("subinterp",)


def side_by_side(key):
    """Whether a row's workers run side by side (processes, or threads with a GIL each)."""
    return key.mode == "processes" or (key.mode == "threads" and key.policy in PARALLEL_POLICIES)
NEEDED_VM = ("gil_gap_ns_total", "gil_hold_offcpu_ns", "gil_hold_ns_total", "vm_ticks")
NEEDED_CPYTHON = ("task_clock_ns",)
NEEDED_PROCESS = ("slowest_worker_wall_ns", "slowest_worker_task_clock_ns",
                  "slowest_worker_run_delay_ns")
NEEDED_SEQ_FOR_PROCESS = ("task_clock_ns", "sched_run_delay_ns")


class Decomposition:
    """One row's extra time and its parts, in seconds (means over `rounds` paired rounds)."""

    def __init__(self, key, base_key, extra, parts, labels, rounds, slower=False):
        self.key, self.base_key = key, base_key
        self.side_by_side = side_by_side(key)  # extra is beyond an even split of seq
        # The row's claim was judged slower: only then is there an extra time whose shares mean
        # something (shares of a difference the data cannot tell from noise are noise).
        self.slower = slower
        self.extra = extra
        self.parts = parts  # name -> seconds
        self.labels = labels  # name -> words
        self.rounds = rounds

    @property
    def residual(self):
        return self.extra - sum(self.parts.values())

    def residual_share(self):
        """|residual| / |extra|, or None when there is no extra time to speak of."""
        return abs(self.residual) / abs(self.extra) if self.extra else None

    def largest(self):
        """(name, seconds) of the largest part, or None."""
        if not self.parts:
            return None
        return max(self.parts.items(), key=lambda item: item[1])


def _paired_samples(run, base):
    """[(threads sample, seq sample)] paired by round; without rounds, one pair of medians."""
    pairs = runs.paired_samples(run, base)
    if pairs:
        return pairs
    medians = lambda r: {m: r.median(m) for m in set().union(*r.samples)}  # noqa: E731
    return [(medians(run), medians(base))]


def _vm_parts(t, s, n):
    """The VM's parts for one pair of samples (seconds), or None if a counter is missing."""
    if any(t.get(m) is None or s.get(m) is None for m in NEEDED_VM) or not s["vm_ticks"]:
        return None
    oncpu_t = t["gil_hold_ns_total"] - t["gil_hold_offcpu_ns"]
    oncpu_s = s["gil_hold_ns_total"] - s["gil_hold_offcpu_ns"]
    parts = {"gaps": t["gil_gap_ns_total"] / 1e9,
             "offcpu": (t["gil_hold_offcpu_ns"] - s["gil_hold_offcpu_ns"]) / 1e9,
             "slower": (oncpu_t - t["vm_ticks"] * oncpu_s / s["vm_ticks"]) / 1e9}
    if t.get("gil_gap_cpu_wait_ns") is not None:
        parts["cpuwait"] = t["gil_gap_cpu_wait_ns"] / 1e9
        parts["gaps"] -= parts["cpuwait"]  # the rest of the gaps: waking the next holder
    if t.get("gil_idle_ns") is not None and s.get("gil_idle_ns") is not None:
        parts["idle"] = (t["gil_idle_ns"] - s["gil_idle_ns"]) / 1e9
    return parts


def _cpython_parts(t, s, n):
    if any(t.get(m) is None or s.get(m) is None for m in NEEDED_CPYTHON):
        return None
    return {"cpu": (t["task_clock_ns"] - s["task_clock_ns"]) / 1e9}


def _process_parts(t, s, n):
    """A processes row's parts against an even split of its seq row (seconds), or None. With the
    VM's ticks the slowest child's work is known, and an uneven split is a part of its own;
    CPython's rows have no ticks, so their slower part holds any unevenness too."""
    if (any(t.get(m) is None for m in NEEDED_PROCESS)
            or any(s.get(m) is None for m in NEEDED_SEQ_FOR_PROCESS)):
        return None
    startup = t[TIME] - t["slowest_worker_wall_ns"] / 1e9
    cpu, wait = t["slowest_worker_task_clock_ns"], t["slowest_worker_run_delay_ns"]
    ticks = t.get("slowest_worker_vm_ticks")
    if ticks is None or not s.get("vm_ticks"):  # CPython: against 1/n of the seq row
        return {"startup": startup, "slower": (cpu - s["task_clock_ns"] / n) / 1e9,
                "cpuwait": (wait - s["sched_run_delay_ns"] / n) / 1e9}
    cpu_per_tick = s["task_clock_ns"] / s["vm_ticks"]
    wait_per_tick = s["sched_run_delay_ns"] / s["vm_ticks"]
    return {"startup": startup,
            "slower": (cpu - ticks * cpu_per_tick) / 1e9,
            "cpuwait": (wait - ticks * wait_per_tick) / 1e9,
            "imbalance": ((ticks - s["vm_ticks"] / n) * (cpu_per_tick + wait_per_tick)) / 1e9}


def decompose(results, run):
    """The Decomposition of a threads or processes run against its seq run, or None (another
    mode, no baseline, or the counters it needs are missing -- an older gilbench, or absent)."""
    if run is None or not run.ok or run.key.interval_us is not None:
        return None
    if run.key.mode not in ("threads", "processes"):
        # A pool row's workers are the workload's own: gilbench has no slowest-worker figures
        # for them (the pool's own split is in contention.py).
        return None
    processes = side_by_side(run.key)
    base, stand_in = results.seq_baseline(run.key)
    if base is None or stand_in:
        return None
    cpython = run.key.policy == "cpython"
    parts_of = _process_parts if processes else _cpython_parts if cpython else _vm_parts
    names = PROCESS_PARTS if processes else CPYTHON_PARTS if cpython else VM_PARTS
    n = run.key.n
    extras, parts = [], []
    for t, s in _paired_samples(run, base):
        p = parts_of(t, s, n) if t.get(TIME) is not None and s.get(TIME) is not None else None
        if p is None:
            continue
        extras.append(t[TIME] - (s[TIME] / n if processes else s[TIME]))
        parts.append(p)
    if not parts:
        return None
    # A part some pair lacks (an optional counter; CPython's processes rows have no uneven
    # split) is left out for the row, so that the means stay over the same rounds.
    present = [name for name, _ in names if all(name in p for p in parts)]
    labels = {name: label for name, label in names if name in present}
    mean_parts = {name: statistics.fmean(p[name] for p in parts) for name in present}
    claim = claims.claim_for(results, run)
    slower = not processes and claim is not None and claim.outcome == stats.SLOWER
    return Decomposition(run.key, base.key, statistics.fmean(extras), mean_parts, labels,
                         len(parts), slower)


def all_decompositions(results, workloads, parallel=False):
    """The decompositions of the rows whose workers share a GIL, or (`parallel`) of those whose
    workers run side by side."""
    out = []
    for run in results.select(lambda k: k.workload in workloads and k.interval_us is None
                              and k.mode in ("threads", "processes")
                              and side_by_side(k) == parallel):
        d = decompose(results, run)
        if d is not None:
            out.append(d)
    return out


def sentence(d):
    """The largest part in words, with its share of the extra time: `62% of the extra time (81 ms)
    is the GIL's holder off CPU while holding it; handoff gaps 9%, slower execution while holding
    21%; 8% is not explained by these parts`. None unless the row was judged slower."""
    if not d.slower or d.extra <= 0:
        return None
    shares = sorted(((seconds / d.extra, name) for name, seconds in d.parts.items()),
                    reverse=True)
    first_share, first = shares[0]
    text = "%d%% of the extra %s is %s" % (round(100 * first_share), _ms(d.extra),
                                           SENTENCE_WORDS[first])
    rest = ", ".join("%s %d%%" % (d.labels[name], round(100 * share))
                     for share, name in shares[1:])
    if rest:
        text += "; " + rest
    residual = round(100 * d.residual / d.extra)
    if residual >= 0:
        text += "; %d%% is left unexplained by these parts" % residual
    else:
        text += "; together the parts come to %d%% of it" % (100 - residual)
    return text


def _ms(seconds):
    return "%.0f ms" % (seconds * 1e3) if abs(seconds) >= 0.0095 else "%.1f ms" % (seconds * 1e3)


# --- the report's section --------------------------------------------------------------------

def _cell(seconds, d):
    """`81 ms (62%)`: a part and its share of the extra time, the share only where the row was
    judged slower."""
    if d.slower and d.extra > 0:
        return "%s (%d%%)" % (_ms(seconds), round(100 * seconds / d.extra))
    return _ms(seconds)


def _table(ds, parts, extra_label="extra time"):
    """A row per decomposition; a column per part that any of them has (a part a row lacks,
    from an older run, is a dash)."""
    from .doc import Table  # local: doc imports nothing of ours, but keep this module light
    from .fmt import DASH
    shown = [(name, label) for name, label in parts if any(name in d.parts for d in ds)]
    headers = (["workload", "policy", "mode", "placement", "n", "rounds", extra_label]
               + [label for _, label in shown] + ["residual"])
    rows = []
    for d in ds:
        rows.append([d.key.workload, d.key.policy, d.key.mode, d.key.placement, str(d.key.n),
                     str(d.rounds), _ms(d.extra)]
                    + [_cell(d.parts[name], d) if name in d.parts else DASH for name, _ in shown]
                    + [_cell(d.residual, d)])
    return Table(headers, rows, ["l", "l", "l", "l", "r", "r", "r"] + ["r"] * (len(shown) + 1))


def blocks(results, workloads):
    """The section "Where the extra time went" (without its heading)."""
    from .doc import Para
    ds = all_decompositions(results, workloads)
    vm = [d for d in ds if d.key.policy != "cpython"]
    cpython = [d for d in ds if d.key.policy == "cpython"]
    procs = all_decompositions(results, workloads, parallel=True)
    if not ds and not procs:
        return [Para("No threads or processes row here carries the counters this needs "
                     "(gilbench's `gil_gap_ns_total`, `gil_hold_offcpu_ns` and `vm_ticks`, the "
                     "slowest worker's figures, or cpython-bench's scheduler figures): a run by an "
                     "older gilbench, or the figures were absent.")]
    out = [Para("The time a `threads` row took beyond its `seq` row, split into parts that are "
                "each measured on their own; the residual is what they leave unexplained, so a "
                "small residual means the accounting holds (`subinterp` threads share no "
                "GIL: they are split with the processes below). Means over the rounds in which both "
                "rows ran. Shares of the extra time are given only for rows judged slower: "
                "where the data cannot tell the two rows apart, the parts are shown in ms and "
                "their shares would be noise.")]
    if vm:
        table = _table(vm, VM_PARTS)
        table.notes.append(
            "GIL handoff gaps: the GIL lay free while a thread wanted it, and the thread it went "
            "to was still waking. Next holder waiting for a CPU: within those gaps, that thread "
            "was ready to run but the machine had no CPU for it (the scheduler's run delay). "
            "Holder off CPU: the thread holding the GIL was not running (another thread or "
            "process had the CPU). Slower execution: the same work (the VM's own count of loop "
            "iterations and calls) took more CPU time while holding the GIL than in the "
            "one-thread row. All threads blocked: no thread held or wanted the GIL (I/O, sleep), "
            "beyond the one-thread row. Residual: thread start and join, and anything else "
            "outside the GIL's bookkeeping.")
        out.append(table)
    if cpython:
        table = _table(cpython, CPYTHON_PARTS)
        table.notes.append(
            "CPython reports nothing about its GIL, so its rows show what the scheduler saw of "
            "the same worker threads: their CPU time beyond the one-thread row's. The residual "
            "holds CPython's GIL waits, handoffs and its holder's preemptions, which nothing "
            "outside CPython can tell apart (the threads' run delay, `sched_run_delay_ns`, is no "
            "part: threads that wait for a CPU may overlap one that runs).")
        out.append(table)
    if procs:
        out.append(Para("`processes` rows, and `threads` rows under `subinterp` (a GIL per "
                        "thread), share no GIL: n workers split the work and run side by side, "
                        "so the yardstick is an even split of the `seq` row (its time / n), and "
                        "the parts are the slowest worker's, the one the run waited for."))
        table = _table(procs, PROCESS_PARTS, extra_label="beyond seq / n")
        table.notes.append(
            "Starting and collecting: the run's time beyond its slowest worker's (waking the "
            "workers, collecting their results). Slower execution: the slowest worker's CPU time "
            "beyond what the one-thread row spent on the same number of loop iterations and "
            "calls. Waiting for a CPU: its run delay beyond the one-thread row's for that work. "
            "Uneven split: the work it did beyond 1/n of the job. Residual: its time neither on "
            "a CPU nor waiting for one (blocked, faulting) beyond the one-thread row's share.")
        out.append(table)
    return out


def why_sentence(results, workload, n, label_of):
    """The verdict's "why" for `workload` in n threads on `os`: the largest part for CPython, py3
    and py2 (the headline's three), or None when none is slower with counters to show it. `label_of(policy)`
    names a policy in words."""
    parts = []
    for policy in ("cpython", "py3", "py2"):
        d = decompose(results, results.get(workload, policy, "threads", n, "os"))
        text = sentence(d) if d is not None else None
        if text:
            parts.append("under %s, %s" % (label_of(policy), text))
    if not parts:
        return None
    return "**Why** (%s in %d threads against one): %s." % (workload, n, "; ".join(parts))
