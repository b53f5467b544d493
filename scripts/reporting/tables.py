"""The report's tables: what each run took against one thread, and the counters that say why.

- one table per workload: policy × placement × mode × n, the time ratio against seq and the GIL and
  OS counters that explain it (handoffs/s, futile wakeups per handoff, drop requests, context
  switches, IPC, GIL wait p99), CPython's rows beside the VM's;
- the I/O trio: latency p50/p99 and ops/s of an I/O thread beside 0, 1, 2 CPU-bound threads or
  processes;
- the switch-interval sweep beside the published convoy figures.

Each function returns doc blocks and says in a sentence what is missing instead of failing.
"""

import math

from . import claims, fmt, published, verdict
from .doc import Bullets, Heading, Para, Table
from .runs import IO_WORKLOADS, POLICY_ORDER, order_index

POOL_MODE_NOTE = ("Mode `pool`: the workload makes its own pool of n processes "
                  "(`multiprocessing.Pool`, `ProcessPoolExecutor`) and hands it the job; "
                  "`processes`: gilbench forks the n children itself, each running its share "
                  "(the pool's own figures are in \"Locks, queues and pools\").")
STAND_IN_NOTE = ("† no seq run with the same policy, interval and placement: divided by the "
                 "closest one (default interval, or the `os` placement).")


def _ran_on(run):
    label = run.label
    return label[len("ran_on="):] if label.startswith("ran_on=") else (label or fmt.DASH)


def _spread(run):
    """`1.21 s – 1.35 s, cv 4.1%` over the repetitions, or `1 run`."""
    span = run.spread()
    cv = run.cv()
    if span is None:  # one repetition, or aggregates only (their cv is all we know)
        return "cv %s" % fmt.percent(cv) if cv is not None else "1 run"
    text = "%s – %s" % (fmt.seconds(span[0]), fmt.seconds(span[1]))
    return text + (", cv %s" % fmt.percent(cv) if cv is not None else "")


def _ratio_cell(results, run):
    """The claim of a threads/processes row, as the verdict's table writes it: ratio [interval]
    and outcome; a seq row is its own baseline."""
    if run.key is not None and run.key.mode == "seq":
        r, _ = results.ratio(run)
        return fmt.DASH if r is None else fmt.ratio(r)
    claim = claims.claim_for(results, run)
    return fmt.DASH if claim is None else verdict.cell_text(claim)


def _ipc(run):
    return fmt.num(run.median("ipc")) if run.has("ipc") else fmt.NA


def _whole_count(x):
    """A count as a whole number, half up: 5883.3 -> `5,883`, 1.5 -> `2` (gilbench averages the
    context switches over a run's iterations, kAvgIterations, so they come with fractions)."""
    return fmt.DASH if x is None else "{:,}".format(int(math.floor(x + 0.5)))


def _ctx(run):
    vol, invol = run.median("ctx_voluntary"), run.median("ctx_involuntary")
    if vol is None and invol is None:
        return fmt.DASH
    return "%s / %s" % (_whole_count(vol), _whole_count(invol))


def skipped_blocks(runs):
    """Failed or skipped runs grouped by reason: `smt: no core has 2 PUs: py2/seq/1/smt, ...`."""
    by_reason = {}
    for run in runs:
        if not run.ok:
            by_reason.setdefault(run.reason, []).append(run.key.short() if run.key else run.name)
    if not by_reason:
        return []
    items = ["*%s*: %s" % (reason, ", ".join("`%s`" % n for n in names))
             for reason, names in by_reason.items()]
    return [Para("Skipped or failed (no timing):"), Bullets(items)]


WORKLOAD_HEADERS = ["policy", "placement", "mode", "n", "time", "spread (min – max, cv)",
                    "÷ seq", "handoffs/s", "futile/handoff", "drop req", "ctx vol / invol",
                    "IPC", "GIL wait p99 ms", "ran on"]
WORKLOAD_ALIGN = ["l", "l", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "l"]


def _workload_row(results, run):
    return [run.key.policy, run.key.placement, run.key.mode, str(run.key.n),
            fmt.seconds(run.time_s), _spread(run), _ratio_cell(results, run),
            fmt.num(run.median("handoffs_per_s")), fmt.num(run.median("futile_per_handoff")),
            fmt.count(run.median("gil_drop_requests")), _ctx(run), _ipc(run),
            fmt.millis_from_ns(run.median("gil_wait_ns_p99")), _ran_on(run)]


def workload_table(results, workload, pmu_status):
    """The blocks for one workload's table (main runs: the sweep has its own table)."""
    runs = results.select(lambda k: k.workload == workload and k.interval_us is None)
    ok = [r for r in runs if r.ok]
    out = [Heading(3, workload)]
    if ok:
        table = Table(WORKLOAD_HEADERS, [_workload_row(results, r) for r in ok], WORKLOAD_ALIGN)
        table.notes.append(
            "Medians of %s. ÷ seq: time over the seq run of the same policy and placement "
            "(above 1: slower than one thread). Counters are per run, summed over its threads "
            "or processes; context switches are rounded to whole numbers." % repetitions(ok))
        if any("†" in row[6] for row in table.rows):
            table.notes.append(STAND_IN_NOTE)
        if any(r.key.mode == "pool" for r in ok):
            table.notes.append(POOL_MODE_NOTE)
        if not any(r.has("ipc") for r in ok):
            table.notes.append("IPC n/a: no PMU reading (%s)." % (pmu_status or "pmu_status "
                                                                    "not recorded"))
        out.append(table)
    else:
        out.append(Para("No successful run of %s." % workload))
    return out + skipped_blocks(runs)


def repetitions(runs):
    """`3 repetitions`, `1 repetition` or `1–3 repetitions`."""
    reps = sorted({r.repetitions for r in runs})
    text = str(reps[0]) if len(reps) == 1 else "%d–%d" % (reps[0], reps[-1])
    return "%s repetition%s" % (text, "" if reps == [1] else "s")


def workload_tables(results, pmu_status):
    """Every non-I/O workload's table, the classic countdown first."""
    out = []
    for workload in results.workloads():
        if workload not in IO_WORKLOADS:
            out += workload_table(results, workload, pmu_status)
    if not out:
        out.append(Para("No CPU or I/O-ish workload rows (countdown, factorize, sleep, native, "
                        "pipe_io) in this run."))
    return out


# --- the I/O trio ---------------------------------------------------------------------------

def _io_groups(results, workload):
    """{(policy, placement, mode): {n: run}} of the main (not sweep) rows, and all n seen."""
    groups, counts = {}, set()
    for run in results.select(lambda k: k.workload == workload and k.interval_us is None):
        k = run.key
        groups.setdefault((k.policy, k.placement, k.mode), {})[k.n] = run
        counts.add(k.n)
    return groups, sorted(counts)


def _n_header(n):
    return "n = 0 (alone)" if n == 0 else "n = %d" % n


def _latency_cell(run):
    if run is None:
        return fmt.DASH
    if not run.ok:
        return "skipped"
    return "%s / %s" % (fmt.micros(run.median("io_latency_us_p50")),
                        fmt.micros(run.median("io_latency_us_p99")))


def _ops_cell(run):
    if run is None:
        return fmt.DASH
    return fmt.num(run.median("io_ops_per_s")) if run.ok else "skipped"


def _io_sort(group_key):
    policy, placement, mode = group_key
    return (order_index(policy, POLICY_ORDER), placement, order_index(mode, ("threads",
                                                                             "processes")))


def _io_table(results, workload):
    groups, counts = _io_groups(results, workload)
    if not groups:
        return None
    latency = workload == "latency"
    headers = ["policy", "placement", "mode"] + [_n_header(n) for n in counts]
    if not latency:
        headers.append("worst vs alone")
    rows = []
    for group_key in sorted(groups, key=_io_sort):
        by_n = groups[group_key]
        cells = [(_latency_cell if latency else _ops_cell)(by_n.get(n)) for n in counts]
        row = list(group_key) + cells
        if not latency:
            row.append(_worst_vs_alone(results, workload, group_key, by_n))
        rows.append(row)
    align = ["l", "l", "l"] + ["r"] * (len(headers) - 3)
    table = Table(headers, rows, align)
    table.notes.append("n: CPU-bound threads (threads mode) or processes (processes mode) beside "
                       "the one I/O thread. " + ("Cells: p50 / p99 of the I/O thread's latency."
                                                 if latency else "Cells: I/O operations per "
                                                 "second (median)."))
    return table


def _worst_vs_alone(results, workload, group_key, by_n):
    """The lowest ops/s with CPU work beside, as a share of the I/O thread alone (n = 0; in
    processes mode, the threads run with n = 0 when there is no processes one)."""
    policy, placement, _ = group_key
    alone = by_n.get(0) or results.get(workload, policy, "threads", 0, placement)
    base = alone.median("io_ops_per_s") if alone is not None and alone.ok else None
    values = [r.median("io_ops_per_s") for n, r in by_n.items() if n > 0 and r.ok]
    values = [v for v in values if v is not None]
    if not values or not base:
        return fmt.DASH
    return fmt.percent(min(values) / base)


def io_tables(results):
    present = set(results.workloads()) & set(IO_WORKLOADS)
    if not present:
        return [Para("No I/O rows (`latency`, `bandwidth`, `convoy`) in this run.")]
    out = []
    titles = {"latency": "Latency of the I/O thread",
              "bandwidth": "Bandwidth (I/O ops/s)",
              "convoy": "Convoy (I/O ops/s beside CPU-bound work)"}
    for workload in IO_WORKLOADS:
        table = _io_table(results, workload)
        if table is None:
            out.append(Para("No `%s` rows in this run." % workload))
            continue
        out += [Heading(3, titles[workload]), table]
        out += skipped_blocks(results.select(lambda k: k.workload == workload))
    return out


# --- the switch-interval sweep --------------------------------------------------------------

def sweep_runs(results, workload, mode, n=None):
    """{policy: {interval_us: run}} of the sweep rows of workload in mode (one n: see below)."""
    runs = results.select(lambda k: k.workload == workload and k.interval_us is not None
                          and k.mode == mode)
    counts = sorted({r.key.n for r in runs})
    if not counts:
        return {}, None
    # The published figures have one CPU thread: take n = 1 when the sweep has it.
    chosen = n if n in counts else (1 if 1 in counts else counts[-1])
    placement = _placement(runs)
    table = {}
    for run in runs:
        if run.key.n == chosen and run.key.placement == placement:
            table.setdefault(run.key.policy, {})[run.key.interval_us] = run
    return table, chosen


def _placement(runs):
    """The sweep's placement (`os` when several were swept)."""
    placements = sorted({r.key.placement for r in runs})
    return "os" if "os" in placements else placements[0]


def _policies(*tables):
    names = set()
    for t in tables:
        names |= set(t)
    return sorted(names, key=lambda p: order_index(p, POLICY_ORDER))


def _intervals(*tables, extra=()):
    values = set(extra)
    for t in tables:
        for by_interval in t.values():
            values |= set(by_interval)
    return sorted(values, reverse=True)  # 100 ms first, as the published list runs


def _median_cell(run, metric, show):
    if run is None:
        return fmt.DASH
    if not run.ok:
        return "skipped"
    return show(run.median(metric))


def sweep_tables(results):
    """The trade-off: published requests/s beside our bandwidth and latency, and countdown."""
    bandwidth, bw_n = sweep_runs(results, "bandwidth", "threads")
    latency, lat_n = sweep_runs(results, "latency", "threads")
    countdown, cd_n = sweep_runs(results, "countdown", "threads", n=2)
    if not (bandwidth or latency or countdown):
        return [Para("No switch-interval sweep in this run (names like "
                     "`bandwidth/py3@1000us/threads/1/os`).")]
    out = []
    if bandwidth or latency:
        out += [Heading(3, "Requests/s and latency against the switch interval"),
                _tradeoff_table(bandwidth, bw_n, latency, lat_n)]
    if countdown:
        out += [Heading(3, "countdown in %d threads against the switch interval" % cd_n),
                _countdown_sweep_table(results, countdown)]
    all_sweep = results.select(lambda k: k.interval_us is not None)
    return out + skipped_blocks(all_sweep)


def _tradeoff_table(bandwidth, bw_n, latency, lat_n):
    policies = _policies(bandwidth, latency)
    intervals = _intervals(bandwidth, latency, extra=published.CONVOY_REQUESTS_PER_S)
    headers = ["switch interval", "published req/s"]
    headers += ["%s ops/s" % p for p in policies if p in bandwidth]
    headers += ["%s p50" % p for p in policies if p in latency]
    rows = []
    for interval in intervals:
        row = [fmt.interval_us(interval),
               fmt.count(published.CONVOY_REQUESTS_PER_S.get(interval))]
        row += [_median_cell(bandwidth[p].get(interval), "io_ops_per_s", fmt.num)
                for p in policies if p in bandwidth]
        row += [_median_cell(latency[p].get(interval), "io_latency_us_p50", fmt.micros)
                for p in policies if p in latency]
        rows.append(row)
    table = Table(headers, rows)
    what = []
    if bandwidth:
        what.append("ops/s: our `bandwidth` with %d CPU-bound thread%s" % (bw_n, _s(bw_n)))
    if latency:
        what.append("p50: our `latency` (I/O thread's median) with %d CPU-bound thread%s"
                    % (lat_n, _s(lat_n)))
    table.notes.append("Published: %s. %s." % (published.CONVOY_SOURCE, "; ".join(what)))
    return table


def _s(n):
    return "" if n == 1 else "s"


def _countdown_sweep_table(results, countdown):
    policies = _policies(countdown)
    intervals = _intervals(countdown)
    headers = ["switch interval"]
    for p in policies:
        headers += ["%s time" % p, "%s ÷ seq" % p, "%s handoffs/s" % p]
    rows = []
    for interval in intervals:
        row = [fmt.interval_us(interval)]
        for p in policies:
            run = countdown[p].get(interval)
            row.append(_median_cell(run, "real_time_s", fmt.seconds))
            row.append(_ratio_cell(results, run) if run is not None and run.ok else fmt.DASH)
            row.append(_median_cell(run, "handoffs_per_s", fmt.num))
        rows.append(row)
    table = Table(headers, rows)
    table.notes.append("÷ seq: against one thread (above 1: slower). A short interval buys I/O "
                       "latency with handoffs that CPU-bound threads pay for.")
    if any("†" in c for row in rows for c in row):
        table.notes.append(STAND_IN_NOTE)
    return table
