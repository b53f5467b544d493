"""The report's opening: what threads did against one thread, in sentences with the numbers.

One sentence per policy, naming each placement: "py2: 2 threads run countdown 1.90× slower than
one thread where the OS places them, 1.02× slower on one core; 2 processes run it 1.95× faster
...". The ratio is time(n threads) / time(seq) for the same policy and placement, so above 1 is
slower; processes are said as a speed-up (seq / processes) when they win. The classic countdown
leads, then factorize, then the workloads where threads should win, then the I/O trio (latency
and throughput of an I/O thread beside n CPU-bound threads).
"""

from . import fmt
from .doc import Bullets, Para
from .runs import CPU_WORKLOADS, IO_WORKLOADS, OTHER_WORKLOADS, PLACEMENT_ORDER, order_index

# How each placement reads in a sentence about n workers.
PLACEMENT_PHRASE = {
    "os": "where the OS places them",
    "one-core": "on one core",
    "spread": "spread over cores",
    "smt": "on the SMT siblings of one core",
    "cross-package": "across packages",
}
VM_POLICIES = ("py2", "py3", "fifo", "prio", "subinterp")
WHAT_TO_EXPECT = {
    "countdown": "CPU-bound, the classic: with a GIL, threads cannot be faster",
    "factorize": "CPU-bound: with a GIL, threads cannot be faster",
    "sleep": "threads sleep without the GIL: threads should be faster",
    "native": "native work releases the GIL: threads should be faster",
    "pipe_io": "blocking I/O releases the GIL: threads should be faster",
    "latency": "how long an I/O thread takes to answer, beside n CPU-bound threads",
    "bandwidth": "an I/O thread's throughput beside n CPU-bound threads",
    "convoy": "an I/O thread's throughput beside n CPU-bound threads (the convoy effect)",
}


def placement_phrase(placement):
    return PLACEMENT_PHRASE.get(placement, "on placement %s" % placement)


def _against_one(r, first):
    """`1.90× slower than one thread` for the first clause, `1.02× slower` after it."""
    if round(r, 2) == 1.0:
        return "as fast as one thread (1.00×)" if first else "as fast (1.00×)"
    return fmt.slower_faster(r) + (" than one thread" if first else "")


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


NOISE_MARK = " (within noise)"
NOISE_NOTE = ("*within noise*: the repetitions do not agree on the direction -- paired with the "
              "one-thread run of the same round, their ratios fall on both sides of 1 (without "
              "rounds: the two runs' time ranges overlap); read the ratio as about 1.")


def within_noise(results, run):
    """Whether this machine cannot tell `run` from its seq run: the paired ratios straddle 1,
    or, without rounds, the min-max ranges of the two runs' repetitions overlap."""
    paired = results.paired_ratios(run)
    if paired is not None:
        return min(paired) <= 1.0 <= max(paired)
    base = results.seq_baseline(run.key)[0]
    a, b = run.spread(), base.spread() if base is not None else None
    return a is not None and b is not None and max(a[0], b[0]) <= min(a[1], b[1])


def _mode_clause(results, workload, policy, mode, n, placements, skipped, stand_ins,
                 first):
    """`2 threads run countdown 1.90× slower than one thread where..., 1.02× slower on one core`."""
    parts = []
    for placement in placements:
        run = results.get(workload, policy, mode, n, placement)
        if run is None:
            continue
        if not run.ok:
            skipped.setdefault(_skip_reason(placement, run.reason), None)
            continue
        r, stand_in = results.ratio(run)
        if r is None:
            continue
        stand_ins.extend([placement] if stand_in else [])
        clause = _against_one(r, first and not parts)
        noisy = within_noise(results, run)
        parts.append("%s %s%s%s" % (clause, placement_phrase(placement),
                                    "†" if stand_in else "", NOISE_MARK if noisy else ""))
    if not parts:
        return None
    noun = "thread" if mode == "threads" else "process"
    noun = noun if n == 1 else noun + ("s" if mode == "threads" else "es")
    # The workload is named once per sentence; later clauses say "it".
    return "%d %s run%s %s %s" % (n, noun, "s" if n == 1 else "", workload if first else "it",
                                  ", ".join(parts))


def policy_sentence(results, workload, policy, label=None):
    """The sentence for one policy of a CPU-style workload, or None when it has nothing to say."""
    placements = _placements(results, workload, policy)
    skipped, stand_ins, clauses = {}, [], []
    for mode in ("threads", "processes"):
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
        text += " († against the seq run on `os`: no seq run on %s)" % ", ".join(
            sorted(set(stand_ins), key=lambda p: order_index(p, PLACEMENT_ORDER)))
    return text + "."


def _cpython_label(cpython_version):
    return "**CPython %s** (same source)" % cpython_version if cpython_version else \
        "**CPython** (same source)"


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


def blocks(results, machine_phrase, cpython_version):
    """The verdict section's blocks (without its heading)."""
    out = [Para("On this machine (%s):" % machine_phrase)]
    present = set(results.workloads())
    if not present & set(CPU_WORKLOADS):
        out.append(Para("No countdown or factorize rows in this run: no verdict on CPU-bound "
                        "threads."))
    noisy = False
    for workload in CPU_WORKLOADS + OTHER_WORKLOADS + IO_WORKLOADS:
        if workload not in present:
            continue
        if workload in IO_WORKLOADS:
            sentences = _io_section(results, workload, cpython_version)
        else:
            sentences = _cpu_section(results, workload, cpython_version)
        head = "**%s** — %s:" % (workload, WHAT_TO_EXPECT[workload])
        out.append(Para(head))
        out.append(Bullets(sentences) if sentences else Para("No usable rows."))
        noisy = noisy or any(NOISE_MARK in sentence for sentence in sentences)
    if noisy:
        out.append(Para(NOISE_NOTE))
    return out
