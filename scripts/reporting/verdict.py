"""The report's opening: what threads did against one thread, said so that it can be believed.

It opens with one sentence a Python developer reads without a glossary ("On this machine,
CPU-bound Python code in 2 threads runs ... under CPython 3.11 and ... under the old GIL; in 2
processes it runs ..."), then one table (policy x placement: time with n workers / time with one,
its 95% interval, and the outcome), the terms it uses, and then the details: one sentence per
policy and workload, the I/O trio's latencies and rates.

Every figure is a claim (claims.py): a paired ratio with a bootstrap interval over the rounds and
one of three outcomes -- slower, faster, or no difference this run can show (stats.py). A
direction is never given where the interval does not support it. Threads faster than one thread
under a shared GIL are marked where they appear, with what that can and cannot mean.
"""

import statistics

from . import claims as claims_mod
from . import decomposition, fmt, stats
from .doc import Bullets, Para, Table
from .runs import (CPU_WORKLOADS, IO_WORKLOADS, MODE_ORDER, OTHER_WORKLOADS, PLACEMENT_ORDER,
                   SPAWNER_WORKLOADS, order_index)

# How each placement reads in a sentence about n workers.
PLACEMENT_PHRASE = {
    "os": "where the OS places them",
    "one-core": "on one core",
    "spread": "spread over cores",
    "smt": "on the SMT siblings of one core",
    "cross-package": "across packages",
    "numa": "on different NUMA nodes",
}
VM_POLICIES = ("py2", "py3", "fifo", "prio", "subinterp")
POLICY_PHRASE = {
    "py2": "the Python 2 GIL (`py2`)",
    "py3": "CPython 3's GIL in this project's VM (`py3`)",
    "fifo": "a fair, first-come GIL (`fifo`)",
    "prio": "a GIL that favours I/O threads (`prio`)",
    "subinterp": "one GIL per thread (`subinterp`)",
}
_SHARED = ("under one GIL only one thread runs Python at a time, so threads should be no faster "
           "than one thread (`subinterp`, a GIL per thread, and processes can be)")
WHAT_TO_EXPECT = {
    "countdown": "CPU-bound, the classic: " + _SHARED,
    "factorize": "CPU-bound: " + _SHARED,
    "sleep": "threads sleep without the GIL: threads should be faster",
    "native": "native work releases the GIL: threads should be faster",
    "pipe_io": "blocking I/O releases the GIL: threads should be faster",
    "latency": "how long an I/O thread takes to answer, beside n CPU-bound threads",
    "bandwidth": "an I/O thread's throughput beside n CPU-bound threads",
    "convoy": "an I/O thread's throughput beside n CPU-bound threads (the convoy effect)",
    "factorize_class": "CPU-bound, one `threading.Thread` subclass per share of the numbers: "
                       + _SHARED,
    "bank": "threads move money between accounts, each account under its own lock: the locks "
            "and the GIL both make them wait (below, \"Locks, queues and pools\")",
    "pipeline": "threads pass items through bounded queues: each handoff between them waits for "
                "the GIL as well",
    "pool": "countdown over the workload's own `multiprocessing.Pool`: its processes run in "
            "parallel, at the price of starting them and passing the work through pipes",
    "executor": "factorize through `concurrent.futures`: a `ThreadPoolExecutor` (threads) shares "
                "one GIL, a `ProcessPoolExecutor` (pool) does not",
}
INCONCLUSIVE_MARK = "~"
UNEXPECTED_MARK = "‡"
STAND_IN_MARK = "†"
GLOSSARY = [
    "**GIL**: the global interpreter lock; a thread must hold it to run Python code.",
    "**Policies** (how the GIL is handed between threads): `py2` — Python 2.7's, released and "
    "re-taken every 100 ticks; `py3` — CPython 3.2 and later, a waiting thread asks the holder "
    "to let go after a switch interval (5 ms); `fifo` — waiters served in arrival order; `prio` "
    "— threads back from I/O go first; `subinterp` — one interpreter and one GIL per thread "
    "(PEP 684), so threads can run Python in parallel. **CPython 3.11** is the real interpreter "
    "on the same `.py` file.",
    "**Placement**: which CPUs the workers may run on — `os`: wherever the OS puts them; "
    "`one-core`: all on one core; `spread`: one core each; `smt`: the two hardware threads of "
    "one core; `cross-package`: different sockets; `numa`: different NUMA nodes, each worker's "
    "memory on its own node. A **PU** (processing unit) is one hardware "
    "thread: a core, or an SMT sibling of one.",
    "**Handoff**: the GIL passing to another thread. **Futile wakeup**: a thread woken to take "
    "the GIL finds it already taken again — the cost behind Python 2's slow threads. **Drop "
    "request**: a waiting thread asking the holder to release the GIL. **Context switch**: the "
    "OS taking a CPU from one thread to give it to another.",
    "**Ratio [interval]**: time with n threads (or processes) ÷ time with one thread, the "
    "geometric mean over the rounds of ratios paired within a round, and its 95%% "
    "confidence interval. It is called *slower* or *faster* only when the whole interval lies "
    "beyond ±%d%%; otherwise this run shows no difference (%s)." % (
        round(100 * stats.NOISE_FLOOR), INCONCLUSIVE_MARK),
]
# Said in the terms only when the run has pool rows (the classic workloads have none).
POOL_TERM = ("**Modes**: `threads` — n threads of one interpreter; `processes` — gilbench forks "
             "n children, each its share of the job; `pool` — the workload makes its own pool "
             "of n processes (`multiprocessing.Pool`, `ProcessPoolExecutor`) and hands it the "
             "job.")
UNEXPECTED_NOTE = (
    "%s Faster with threads while the threads share one GIL: only one of them can run Python at "
    "a time, so the gain is not parallel Python. It can come from work done outside the GIL "
    "(starting and joining threads, freeing memory), or from this machine running faster while "
    "the threads ran than while the one thread ran (a VM's speed drifts; the rounds were paired "
    "to cancel that, but not every drift cancels). This run cannot tell which." % UNEXPECTED_MARK)


def placement_phrase(placement):
    return PLACEMENT_PHRASE.get(placement, "on placement %s" % placement)


def _range(low, high):
    return "[%s–%s]" % (fmt.ratio(low).rstrip("×"), fmt.ratio(high).rstrip("×"))


def interval_text(e):
    """`[1.10–1.64]` of a time ratio, or `[no interval]` (fewer than 3 paired rounds)."""
    return _range(e.low, e.high) if e.has_interval else "[no interval]"


def ratio_words(claim, than="than one thread"):
    """`1.31× [1.10–1.64] slower than one thread`, `1.9× [1.7–2.1] faster ...` (a speed-up,
    interval inverted), or for no direction `as fast as one thread, within 5% (0.97× [...])`.
    `than` may be empty: later clauses of a sentence leave it out."""
    e, outcome = claim.estimate, claim.outcome
    tail = " " + than if than else ""
    if outcome == stats.SLOWER:
        return "%s %s slower%s" % (fmt.ratio(e.ratio), interval_text(e), tail)
    if outcome == stats.FASTER:
        return "%s %s faster%s" % (fmt.ratio(1.0 / e.ratio), _range(1.0 / e.high, 1.0 / e.low),
                                   tail)
    floor = stats.NOISE_FLOOR
    if e.has_interval and e.low >= 1.0 / (1.0 + floor) and e.high <= 1.0 + floor:
        lead = "as fast%s, within %d%%" % (" as " + than[len("than "):] if than else "",
                                            round(100 * floor))
    else:
        lead = "not measurably faster or slower%s" % tail
    return "%s (%s %s)" % (lead, fmt.ratio(e.ratio), interval_text(e))


def cell_text(claim):
    """A table cell: `1.31 [1.10–1.64] slower`, `0.97 [0.93–1.02] ~`, marks appended."""
    e = claim.estimate
    text = "%s %s" % (fmt.ratio(e.ratio).rstrip("×"), interval_text(e))
    text += " " + ({stats.SLOWER: "**slower**", stats.FASTER: "**faster**"}.get(
        claim.outcome, INCONCLUSIVE_MARK))
    if claim.unexpected:
        text += " " + UNEXPECTED_MARK
    if claim.stand_in:
        text += STAND_IN_MARK
    return text


def _skip_reason(placement, message):
    """`smt skipped (no core has 2 PUs)`; gilbench's messages start with the placement."""
    prefix = placement + ": "
    return "%s skipped (%s)" % (placement, message[len(prefix):] if message.startswith(prefix)
                                else message)


def _placements(results, workload, policy, ok_only=False):
    names = {k.placement for k, run in results.by_key.items()
             if k.workload == workload and k.policy == policy and k.interval_us is None
             and (run.ok or not ok_only)}
    return sorted(names, key=lambda p: order_index(p, PLACEMENT_ORDER))


def _counts(results, workload, policy, mode):
    return sorted({k.n for k in results.by_key if k.workload == workload and k.policy == policy
                   and k.mode == mode and k.interval_us is None})


def workers_phrase(mode, n):
    """(`2 threads`, plural?): the workers of a row as a sentence's subject; a pool row's are
    `a pool of 2 processes` (one pool, so a singular verb)."""
    if mode == "pool":
        return "a pool of %d process%s" % (n, "" if n == 1 else "es"), False
    noun = "thread" if mode == "threads" else "process"
    noun = noun if n == 1 else noun + ("s" if mode == "threads" else "es")
    return "%d %s" % (n, noun), n != 1


def _mode_clause(results, workload, policy, mode, n, placements, skipped, stand_ins, first):
    """`2 threads run countdown 1.90× [1.7–2.1] slower than one thread where ..., ...`."""
    parts = []
    for placement in placements:
        run = results.get(workload, policy, mode, n, placement)
        if run is None:
            continue
        if not run.ok:
            skipped.setdefault(_skip_reason(placement, run.reason), None)
            continue
        claim = claims_mod.claim_for(results, run)
        if claim is None:
            continue
        stand_ins.extend([placement] if claim.stand_in else [])
        words = ratio_words(claim, "than one thread" if first and not parts else "")
        parts.append("%s %s%s%s" % (words, placement_phrase(placement),
                                    STAND_IN_MARK if claim.stand_in else "",
                                    " " + UNEXPECTED_MARK if claim.unexpected else ""))
    if not parts:
        return None
    workers, plural = workers_phrase(mode, n)
    # The workload is named once per sentence; later clauses say "it".
    return "%s run%s %s %s" % (workers, "" if plural else "s", workload if first else "it",
                               "; ".join(parts))


def policy_sentence(results, workload, policy, label=None):
    """The sentence for one policy of a CPU-style workload, or None when it has nothing to say."""
    placements = _placements(results, workload, policy)
    skipped, stand_ins, clauses = {}, [], []
    for mode in MODE_ORDER[1:]:  # threads, processes, pool
        for n in _counts(results, workload, policy, mode):
            clause = _mode_clause(results, workload, policy, mode, n, placements, skipped,
                                  stand_ins, first=not clauses)
            if clause:
                clauses.append(clause)
    if not clauses and not skipped:
        return None
    text = "%s: " % (label or "**%s**" % policy)
    text += "; ".join(clauses) if clauses else "no run to compare with one thread"
    if skipped:
        text += "; " + "; ".join(skipped)
    if stand_ins:
        text += " (%s against the seq run on `os`: no seq run on %s)" % (STAND_IN_MARK, ", ".join(
            sorted(set(stand_ins), key=lambda p: order_index(p, PLACEMENT_ORDER))))
    return text + "."


def _cpython_label(cpython_version):
    return "**%s** (same source)" % cpython_name(cpython_version)


def cpython_name(cpython_version):
    return "CPython %s" % cpython_version if cpython_version else "CPython"


def _cpu_section(results, workload, cpython_version):
    sentences = [policy_sentence(results, workload, p) for p in VM_POLICIES]
    sentences += [policy_sentence(results, workload, p) for p in _other_policies(results, workload)]
    sentences.append(policy_sentence(results, workload, "cpython", _cpython_label(cpython_version)))
    return [s for s in sentences if s]


def _other_policies(results, workload):
    """Policies we do not know by name (a new one) still get their sentence, after ours."""
    known = set(VM_POLICIES) | {"cpython"}
    return sorted({k.policy for k in results.by_key
                   if k.workload == workload and k.policy not in known and k.interval_us is None})


# --- the opening: one sentence, one table -----------------------------------------------------

def headline_workload(results):
    """countdown, else the first CPU-bound workload present, else None."""
    present = set(results.workloads())
    return next((w for w in CPU_WORKLOADS if w in present), None)


def _claim(results, workload, policy, mode, n, placement):
    return claims_mod.claim_for(results, results.get(workload, policy, mode, n, placement))


def headline(results, machine_phrase, cpython_version):
    """The one sentence a Python developer reads first, or None without CPU-bound rows."""
    workload = headline_workload(results)
    if workload is None:
        return None
    counts = (_counts(results, workload, "py3", "threads")
              or _counts(results, workload, "cpython", "threads"))
    if not counts:
        return None
    n = counts[0]
    threads = []
    for policy, name in (("cpython", cpython_name(cpython_version)),
                         ("py3", POLICY_PHRASE["py3"]), ("py2", POLICY_PHRASE["py2"])):
        claim = _claim(results, workload, policy, "threads", n, "os")
        if claim is not None:
            threads.append("%s under %s%s" % (ratio_words(claim), name,
                                              " " + UNEXPECTED_MARK if claim.unexpected else ""))
    if not threads:
        return None
    text = ("On this machine (%s), CPU-bound Python code (`%s`) in %d threads runs %s"
            % (machine_phrase, workload, n, _join(threads)))
    for policy, name in (("cpython", cpython_name(cpython_version)), ("py3", "this VM")):
        claim = _claim(results, workload, policy, "processes", n, "os")
        if claim is not None:
            text += "; in %d processes it runs %s under %s" % (n, ratio_words(claim), name)
            break
    return text + "."


def _join(parts):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def headline_columns(results, workload):
    """[(mode, n, placement)] of the headline table: threads by placement, then processes (then
    pool, which the CPU-bound pair does not have)."""
    cols = {(k.mode, k.n, k.placement) for k, run in results.by_key.items()
            if k.workload == workload and k.mode != "seq" and k.interval_us is None and run.ok}
    return sorted(cols, key=lambda c: (order_index(c[0], MODE_ORDER), c[1],
                                       order_index(c[2], PLACEMENT_ORDER)))


def headline_table(results, workload, cpython_version):
    """Policy x placement for one workload: seq time, then ratio [interval] outcome per column."""
    columns = headline_columns(results, workload)
    policies = [p for p in VM_POLICIES + tuple(_other_policies(results, workload)) + ("cpython",)
                if results.get(workload, p, "seq", 1, "os") is not None
                or any(results.get(workload, p, m, n, pl) for m, n, pl in columns)]
    rows = []
    for policy in policies:
        seq = results.get(workload, policy, "seq", 1, "os")
        row = ["**%s**" % (cpython_name(cpython_version) if policy == "cpython" else policy),
               fmt.seconds(seq.time_s) if seq is not None and seq.ok else fmt.DASH]
        for mode, n, placement in columns:
            claim = _claim(results, workload, policy, mode, n, placement)
            row.append(cell_text(claim) if claim is not None else fmt.DASH)
        rows.append(row)
    header = ["policy", "1 thread"] + ["%d %s, %s" % (n, mode, placement)
                                      for mode, n, placement in columns]
    table = Table(header, rows, ["l", "r"] + ["r"] * len(columns))
    rounds = sorted({c.estimate.rounds for c in claims_mod.all_claims(results, (workload,))})
    rounds_text = "0" if not rounds else str(rounds[0]) if len(rounds) == 1 else "%d–%d" % (
        rounds[0], rounds[-1])
    follow_up = (" (a claim whose interval still held a ±%d%% boundary after the planned "
                 "rounds got follow-up rounds of its two rows)" % round(100 * stats.NOISE_FLOOR)
                 if len(rounds) > 1 else "")
    table.notes.append(
        "`%s`: time with n workers ÷ time with one thread (above 1: slower), geometric mean "
        "of %s paired round%s%s, [95%% interval]; **slower**/**faster** only when the whole "
        "interval lies beyond ±%d%%; %s: no difference this run can show." % (
            workload, rounds_text, "" if rounds == [1] else "s", follow_up,
            round(100 * stats.NOISE_FLOOR), INCONCLUSIVE_MARK))
    return table


# --- the whole section ------------------------------------------------------------------------

def _io_values(results, workload, policy, mode, placement, metric):
    """[(n, median of metric)] for the n this policy ran in this mode."""
    out = []
    for n in _counts(results, workload, policy, mode):
        run = results.get(workload, policy, mode, n, placement)
        if run is not None and run.ok and run.median(metric) is not None:
            out.append((n, run.median(metric)))
    return out


def _beside(n, mode):
    if mode == "threads":
        return "beside %d CPU-bound thread%s" % (n, "" if n == 1 else "s")
    return "with the CPU work in %d process%s" % (n, "" if n == 1 else "es")


def _io_sentence(results, workload, policy, placement, label):
    """`py3: p50 52 µs alone, 5.1 ms beside 1 CPU-bound thread; 60 µs with the CPU work in ...`."""
    latency = workload == "latency"
    metric = "io_latency_us_p50" if latency else "io_ops_per_s"
    show = fmt.micros if latency else (lambda v: fmt.num(v) + " ops/s")
    clauses = []
    for mode in ("threads", "processes"):
        values = _io_values(results, workload, policy, mode, placement, metric)
        if not values:
            continue
        parts = [show(v) + (" alone" if n == 0 else " " + _beside(n, mode)) for n, v in values]
        # An I/O thread "alone" in processes mode is a second baseline: say which one it is.
        lead = "in processes mode " if mode == "processes" and values[0][0] == 0 else ""
        clauses.append(lead + ", ".join(parts))
    if not clauses:
        return None
    lead = "median latency " if latency else ""
    return "%s: %s%s." % (label, lead, "; ".join(clauses))


def _io_section(results, workload, cpython_version):
    sentences = []
    policies = list(VM_POLICIES) + _other_policies(results, workload) + ["cpython"]
    for policy in policies:
        # Skipped placements are in the tables; the sentences speak of the measured ones.
        placements = _placements(results, workload, policy, ok_only=True)
        for placement in placements:
            label = _cpython_label(cpython_version) if policy == "cpython" else "**%s**" % policy
            if len(placements) > 1:
                label += " (%s)" % placement
            sentence = _io_sentence(results, workload, policy, placement, label)
            if sentence:
                sentences.append(sentence)
    return sentences


# Above this median, the one-thread rows' times moved so much between rounds that the machine's
# speed changed while it was measured. On this project's 2-core VMs the median was 1-4% in quiet
# runs and 15% in one made while the host was busy (steal unseen by the probe before the run).
# A warning only: it changes no outcome.
DRIFT_WARNING_CV = 0.08


def speed_drift(results):
    """The median, over the one-thread rows measured in three rounds or more, of their times'
    coefficient of variation across the rounds: how much the machine's speed moved while this
    run measured. None without such rows."""
    cvs = [run.cv() for run in results.select(lambda k: k.mode == "seq")
           if run.ok and len(run.samples) >= 3]
    cvs = [cv for cv in cvs if cv is not None]
    return statistics.median(cvs) if cvs else None


def drift_sentence(results):
    """A warning when the machine's speed drifted while measuring (speed_drift), else None."""
    drift = speed_drift(results)
    if drift is None or drift < DRIFT_WARNING_CV:
        return None
    return ("**The machine's speed changed while this run measured**: the one-thread rows' "
            "times varied by a median of %d%% between rounds (a steady machine varies by a few "
            "percent). The check before the run cannot see this (another guest on the host, "
            "say); the intervals are wider for it, and a claim near the ±%d%% line may come out "
            "otherwise in a steadier run." % (round(100 * drift), round(100 * stats.NOISE_FLOOR)))


def blocks(results, machine_phrase, cpython_version, state_sentence=None):
    """The verdict section's blocks (without its heading)."""
    out = []
    sentence = headline(results, machine_phrase, cpython_version)
    out.append(Para(sentence or "On this machine (%s): no countdown or factorize rows in this "
                    "run, so no verdict on CPU-bound threads." % machine_phrase))
    if state_sentence:
        out.append(Para(state_sentence))
    drift = drift_sentence(results)
    if drift:
        out.append(Para(drift))
    workload = headline_workload(results)
    all_claims = claims_mod.all_claims(results, CPU_WORKLOADS + OTHER_WORKLOADS)
    counts = workload and (_counts(results, workload, "py3", "threads")
                           or _counts(results, workload, "cpython", "threads"))
    if counts:
        names = {"cpython": cpython_name(cpython_version), "py3": "`py3`", "py2": "`py2`"}
        why = decomposition.why_sentence(results, workload, counts[0], names.get)
        if why:
            out.append(Para(why))
    if workload is not None:
        out.append(headline_table(results, workload, cpython_version))
    if any(c.unexpected for c in all_claims):
        out.append(Para(UNEXPECTED_NOTE))
    if all_claims and all(not c.estimate.has_interval for c in all_claims):
        out.append(Para("**This run has one round**, so no ratio has an interval and no claim "
                        "has a direction: every figure is inconclusive. Run `scripts/reproduce` "
                        "(7 rounds) for a verdict."))
    out.append(Para("**Terms.**"))
    pools = any(k.mode == "pool" for k in results.by_key)
    out.append(Bullets(GLOSSARY + ([POOL_TERM] if pools else [])))
    out.append(Para("**In detail** (every ratio against one thread of the same policy and "
                    "placement):"))
    present = set(results.workloads())
    for name in CPU_WORKLOADS + OTHER_WORKLOADS + IO_WORKLOADS + SPAWNER_WORKLOADS:
        if name not in present:
            continue
        if name in IO_WORKLOADS:
            sentences = _io_section(results, name, cpython_version)
        else:
            sentences = _cpu_section(results, name, cpython_version)
        out.append(Para("**%s** — %s:" % (name, WHAT_TO_EXPECT[name])))
        out.append(Bullets(sentences) if sentences else Para("No usable rows."))
        out += _contention_why(results, name, cpython_version)
    return out


def _contention_why(results, workload, cpython_version):
    """bank's "why" where the locks explain a slowdown (contention.py says when they do), in the
    form of the headline's **Why**; nothing for the other workloads, whose cause needs the
    counters' table beside it (the section "Locks, queues and pools")."""
    if workload != "bank":
        return []
    from . import contention  # it uses this module's wording; import it when needed
    sentences = contention.cause_sentences(results, workload, cpython_version)
    return [Para("**Why** (bank): %s" % " ".join(sentences))] if sentences else []
