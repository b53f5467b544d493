"""The section "Locks, queues and pools": what the workloads that start their own threads or
processes pay beyond the GIL.

Five workloads make their own workers, as the programs people write do (runs.SPAWNER_WORKLOADS):
their threads take locks (bank), pass items through queues (pipeline), or are a plain Thread
subclass's or a ThreadPoolExecutor's (factorize_class, executor); their pools are a
multiprocessing.Pool (pool) or a ProcessPoolExecutor (executor's pool rows). gilbench counts what
those cost (docs/language.md, "Lock statistics"; docs/design.md, "multiprocessing pools"), and a
counter is absent, never 0, where the thing did not happen:

- threads: each threads/n row against the seq/1 row of the same policy (claims.claim_for: the
  ratio paired within rounds, its 95% interval, three outcomes), beside the figures that explain
  it -- the lock acquisitions that had to wait, the lock handoffs and waits, the GIL's handoffs,
  forced switches and wait, and for the pipeline what its queues cost per item;
- pools: each pool/n row against gilbench's own processes/n row of the same workload, policy and
  n (claims.claim_between, the same rule), and where the pool row's time went (pool_split).

Each finding is one sentence for a Python developer who has not met the counters' names. A cause
is given only where the figures carry it: the ratio judged slower *and* the time the threads
spent blocked on the program's locks, per thread, at least half the extra time over one thread
(LOCK_WAIT_EXPLAINS); anywhere else the sentence gives the figures without a cause. CPython counts none of this: its rows show their times and ratios, and a dash for every
counter. The threads and pool rows run where the OS puts them (gilbench places no thread it did
not make), so this section reads placement `os` only.
"""

from dataclasses import dataclass
from typing import Optional

from . import claims, fmt, stats, tables, verdict
from .doc import Bullets, Heading, Para, Table
from .runs import POLICY_ORDER, SPAWNER_WORKLOADS, order_index

THREAD_WORKLOADS = ("bank", "pipeline", "factorize_class", "executor")
POOL_WORKLOADS = ("pool", "executor")
PLACEMENT = "os"
# How much of a threads row's extra time over one thread its lock waits must cover before the
# slowdown is put down to the locks: the time the threads spent blocked on the program's locks,
# averaged per thread (lock_wait_ns_total / n), at least half the extra wall time. Fixed in
# advance, not fitted to a result. Not the share of acquisitions that waited: a wait costs a sleep,
# a wakeup and the GIL back (130 µs on average in bank at its full size), against about 0.35 µs of
# bank's work per acquire, so even 2% of acquisitions waiting can make most of the extra time.
LOCK_WAIT_EXPLAINS = 0.5

# What n workers of a workload were doing, as a sentence says it.
DOING = {"bank": "moving money between accounts", "pipeline": "passing items through queues",
         "factorize_class": "factorizing numbers", "executor": "factorizing numbers",
         "pool": "counting down in chunks"}
# Whose workers they were: `2 threads of a ThreadPoolExecutor`, `a ProcessPoolExecutor of 2
# processes`.
THREADS_OF = {"executor": " of a `ThreadPoolExecutor`"}
POOL_KIND = {"pool": "`multiprocessing.Pool`", "executor": "`ProcessPoolExecutor`"}
TITLES = {"bank": "bank: threads moving money, one lock per account",
          "pipeline": "pipeline: threads passing items through queues",
          "factorize_class": "factorize_class: a Thread subclass per share of the numbers",
          "executor": "executor: a ThreadPoolExecutor"}
# The share of the lock waits that the switch interval's forced switches must reach before bank's
# slowdown is put down to a holder forced off the GIL (a double convoy) rather than to threads
# passing the GIL along through the locks themselves. Fixed in advance, as LOCK_WAIT_EXPLAINS is.
FORCED_HIGH = 0.10


def _bank_cause(run):
    """Why bank's threads are slower, as its counters tell it: a holder forced off the GIL while
    others wait for its lock (forced switches a fair share of the lock waits), or the threads
    handing the GIL on at each lock wait, with next to no forced switch (a lock convoy)."""
    contended = run.median("lock_contended") or 0
    forced = run.median("gil_forced_switches") or 0
    if contended and forced >= FORCED_HIGH * contended:
        return ("a thread holding an account's lock is forced off the GIL at the switch "
                "interval (%s forced switches), and every thread that needs that lock then "
                "waits for it as well as for the GIL (a double convoy)" % fmt.count(forced))
    # As in CPython, a blocked acquire takes the lock with the GIL released and then waits for
    # the GIL holding it (vm/sync.cc, LockCore::Acquire): the lock's next taker must sleep too.
    return ("each thread that finds an account's lock taken sleeps and gives up the GIL; when "
            "the lock is released it wakes holding the lock but not the GIL, so the thread that "
            "needs that lock next must sleep in its turn: the GIL changed hands %s times, about "
            "once per lock wait, and the switch interval forced %s of them (a lock convoy "
            "riding on the GIL)" % (
                fmt.count(run.median("gil_handoffs")),
                "none" if not forced else "only " + fmt.count(forced)))


# Why a workload's threads are slower when they wait for its locks (said only when the figures
# carry it: ratio slower, lock waits at least LOCK_WAIT_EXPLAINS of the extra time): a sentence
# from the run.
CAUSES = {
    "bank": _bank_cause,
    "pipeline": lambda run: (
        "a thread that finds its queue empty or full gives up the GIL and sleeps, and the item "
        "then waits until that thread is woken and has the GIL back"),
}
BASELINE = "baseline"


def present(results):
    """Whether the run has rows of the workloads that start their own workers."""
    return any(k.workload in SPAWNER_WORKLOADS for k in results.by_key)


def _select(results, workload, mode):
    return results.select(lambda k: k.workload == workload and k.mode == mode
                          and k.placement == PLACEMENT and k.interval_us is None)


def _policy_name(policy, cpython_version):
    return verdict.cpython_name(cpython_version) if policy == "cpython" else "`%s`" % policy


# --- the figures ------------------------------------------------------------------------------

def contended_share(run):
    """(contended, acquisitions, share) of a run's lock acquisitions (medians over its
    repetitions), or None when it counted none (CPython, or a program without locks)."""
    acquisitions, contended = run.median("lock_acquisitions"), run.median("lock_contended")
    if acquisitions is None or contended is None:
        return None
    return contended, acquisitions, (contended / acquisitions if acquisitions else None)


def lock_wait_cover(results, run):
    """(lock wait per thread, extra time over one thread, their ratio) in seconds, medians over
    the repetitions, against the seq row its claim divides by; None without lock figures, a
    one-thread row, or extra time."""
    waited = run.median("lock_wait_ns_total")
    seq, _ = results.seq_baseline(run.key)
    if waited is None or seq is None or not run.key.n:
        return None
    extra = run.time_s - seq.time_s
    if extra <= 0:
        return None
    per_thread = waited * 1e-9 / run.key.n
    return per_thread, extra, per_thread / extra


def queue_wait_per_item(run):
    """Seconds an item sat in a queue on average (queue_wait_ns_total / queue_items_got), or
    None when the run got no item from a queue."""
    got, waited = run.median("queue_items_got"), run.median("queue_wait_ns_total")
    if not got or waited is None:
        return None
    return waited / got * 1e-9


@dataclass(frozen=True)
class PoolSplit:
    """Where a pool row's wall time went, in seconds (medians over its repetitions).

    The parent waits for its workers (`ipc_wait`) while they run the calls, so that wait is not
    the pool's cost: the work itself is the workers' calls split evenly over the workers
    (`work`), and the pool's own machinery is the rest of the row's time -- starting and joining
    the workers, turning tasks and results into bytes and back, passing them through pipes and
    waiting for the slowest worker."""

    time: float
    workers: int
    tasks: Optional[float]
    bytes_sent: Optional[float]
    bytes_received: Optional[float]
    parent_codec: Optional[float]  # the parent's serializing and deserializing
    ipc_wait: Optional[float]  # the parent blocked waiting for its workers
    worker_compute: float  # summed over the workers
    worker_codec: Optional[float]  # the workers' deserializing and serializing, summed

    @property
    def work(self):
        return self.worker_compute / self.workers

    @property
    def machinery(self):
        return self.time - self.work

    @property
    def machinery_share(self):
        return self.machinery / self.time if self.time else None


def _seconds(run, *counters):
    """The sum of these ns counters' medians in seconds, or None when any is absent."""
    values = [run.median(c) for c in counters]
    return None if any(v is None for v in values) else sum(values) * 1e-9


def pool_split(run):
    """The PoolSplit of a pool row, or None without the workers' figures (CPython, an older
    gilbench, a row that failed)."""
    if run is None or not run.ok or run.median("pool_worker_compute_ns") is None:
        return None
    workers = run.median("pool_workers")
    workers = int(round(workers)) if workers else run.key.n
    return PoolSplit(time=run.time_s, workers=max(workers, 1),
                     tasks=run.median("pool_tasks_sent"),
                     bytes_sent=run.median("pool_bytes_sent"),
                     bytes_received=run.median("pool_bytes_received"),
                     parent_codec=_seconds(run, "pool_serialize_ns", "pool_deserialize_ns"),
                     ipc_wait=_seconds(run, "pool_ipc_wait_ns"),
                     worker_compute=_seconds(run, "pool_worker_compute_ns"),
                     worker_codec=_seconds(run, "pool_worker_deserialize_ns",
                                           "pool_worker_serialize_ns"))


# --- the sentences ----------------------------------------------------------------------------

@dataclass
class Finding:
    """One row's finding: its claim (None without a row to compare with) and its sentence."""

    run: object  # runs.Run
    claim: Optional[claims.Claim]
    sentence: str
    explained: bool  # the sentence gives a cause: the figures carry one


def took(claim, than):
    """`took 4.30× [3.90–4.80] as long as one thread`, and for a claim without a direction why
    it has none: no interval, or one that straddles the noise floor, or one inside it."""
    e = claim.estimate
    text = "took %s %s as long as %s" % (fmt.ratio(e.ratio), verdict.interval_text(e), than)
    if claim.outcome != stats.INCONCLUSIVE:
        return text
    floor = round(100 * stats.NOISE_FLOOR)
    if not e.has_interval:
        return text + " (inconclusive: fewer than %d paired rounds give no interval)" % (
            stats.MIN_ROUNDS)
    if e.straddles_floor():
        return text + " (inconclusive: the interval straddles the ±%d%% noise floor)" % floor
    return text + " (the same time within ±%d%%: no difference this run can show)" % floor


def _lock_clause(run):
    """`52,714 of 400,000 lock acquisitions (13.2%) had to wait`, or None without locks."""
    counted = contended_share(run)
    if counted is None:
        return None
    contended, acquisitions, share = counted
    if not contended:
        return "none of its %s lock acquisitions had to wait" % fmt.count(acquisitions)
    return "%s of %s lock acquisitions (%s) had to wait" % (
        fmt.count(contended), fmt.count(acquisitions), fmt.percent(share))


def _queue_clause(run):
    """`an item waited 75.0 µs in a queue on average, and the threads were blocked 850 ms in get
    (waiting for an item) and 860 ms in put (waiting for room)`, or None without queues."""
    per_item = queue_wait_per_item(run)
    if per_item is None:
        return None
    text = "an item waited %s in a queue on average" % fmt.seconds(per_item)
    blocked = [(fmt.seconds(s), what) for s, what in (
        (_seconds(run, "queue_get_blocked_ns_total"), "in get (waiting for an item)"),
        (_seconds(run, "queue_put_blocked_ns_total"), "in put (waiting for room)")) if s]
    if blocked:
        text += ", and the threads were blocked " + " and ".join(
            "%s %s" % pair for pair in blocked)
    return text


def _opening(run, workers, claim, than, unpaired, cpython_version):
    """`Under `py3`, 2 threads moving money between accounts took 4.30× [...] as long as
    <than>`, or without a claim `... took 1.20 s (<unpaired>)`."""
    key = run.key
    text = "Under %s, %s %s " % (_policy_name(key.policy, cpython_version), workers,
                                 DOING.get(key.workload, "running %s" % key.workload))
    if claim is not None:
        return text + took(claim, than)
    return text + "took %s (%s)" % (fmt.seconds(run.time_s), unpaired)


def threads_finding(results, run, cpython_version=None):
    """The Finding of one threads row against one thread of the same policy."""
    key = run.key
    claim = claims.claim_for(results, run)
    workers, _ = verdict.workers_phrase(key.mode, key.n)
    head = _opening(run, workers + THREADS_OF.get(key.workload, ""), claim, "one thread",
                    "no one-thread row of this policy to compare with", cpython_version)
    lock, queue = _lock_clause(run), _queue_clause(run)
    covered = lock_wait_cover(results, run)
    explained = (claim is not None and claim.outcome == stats.SLOWER and covered is not None
                 and covered[2] >= LOCK_WAIT_EXPLAINS and key.workload in CAUSES)
    if explained:
        per_thread, extra, _ = covered
        text = "%s: %s, and each thread spent %s on average blocked on them, against %s of " \
               "extra time over one thread, because %s" % (
                   head, lock, fmt.seconds(per_thread), fmt.seconds(extra),
                   CAUSES[key.workload](run))
        if queue:
            text += "; %s" % queue
    else:
        text = "; ".join([head] + [c for c in (lock, queue) if c])
    return Finding(run, claim, text + ".", explained)


def _bytes(x):
    return fmt.DASH if x is None else fmt.size_bytes(int(round(x)))


def pool_finding(results, run, cpython_version=None):
    """The Finding of one pool row against gilbench's processes of the same n, and where the
    pool's time went."""
    key = run.key
    claim = claims.claim_between(run, results.processes_row(key))
    workers = "a %s of %d process%s" % (POOL_KIND.get(key.workload, "pool"), key.n,
                                        "" if key.n == 1 else "es")
    text = _opening(run, workers, claim, "%d forked processes doing the same work" % key.n,
                    "no processes row of %d to compare with" % key.n, cpython_version)
    split = pool_split(run)
    if split is not None:
        text += "; " + _split_words(split)
    return Finding(run, claim, text + ".", False)


def _split_words(split):
    """`of its 120 ms, 40.0 ms (33.3%) went to the pool's own machinery -- starting its workers,
    serializing (...), the pipes and waiting for the slowest worker -- and 80.0 ms to the work
    itself (the workers' calls, split evenly over 4)`."""
    codec = []
    if split.parent_codec is not None:
        codec.append("%s in the parent" % fmt.seconds(split.parent_codec))
    if split.worker_codec is not None:
        codec.append("%s in the workers" % fmt.seconds(split.worker_codec))
    machinery = ("the pool's own machinery — starting its workers, serializing tasks and "
                 "results%s, the pipes and waiting for the slowest worker —" % (
                     " (%s)" % ", ".join(codec) if codec else ""))
    work = "the workers' calls, split evenly over %d" % split.workers
    if split.machinery <= 0:
        return "%s take all of its %s: %s took no measurable share of it" % (
            work, fmt.seconds(split.time), machinery.rstrip(" —"))
    return "of its %s, %s (%s) went to %s and %s to the work itself (%s)" % (
        fmt.seconds(split.time), fmt.seconds(split.machinery),
        fmt.percent(split.machinery_share), machinery, fmt.seconds(split.work), work)


def thread_findings(results, workload, cpython_version=None):
    """The Findings of a workload's threads rows, policy by policy, n ascending."""
    return [threads_finding(results, run, cpython_version)
            for run in _select(results, workload, "threads") if run.ok]


def pool_findings(results, cpython_version=None):
    """The Findings of the pool rows of every workload that has them."""
    return [pool_finding(results, run, cpython_version)
            for workload in POOL_WORKLOADS for run in _select(results, workload, "pool")
            if run.ok]


def cause_sentences(results, workload, cpython_version=None):
    """The sentences of a workload's threads rows that give a cause (for the verdict)."""
    return [f.sentence for f in thread_findings(results, workload, cpython_version)
            if f.explained]


# --- the tables -------------------------------------------------------------------------------

def _count(run, counter):
    return fmt.count(run.median(counter))


def _ns(run, counter):
    return fmt.seconds(_seconds(run, counter))


def _lock_waits_cell(run):
    counted = contended_share(run)
    if counted is None:
        return fmt.DASH
    contended, acquisitions, share = counted
    return "%s of %s%s" % (fmt.count(contended), fmt.count(acquisitions),
                           " (%s)" % fmt.percent(share) if share is not None else "")


THREAD_HEADERS = ["policy", "mode", "n", "time", "÷ seq/1 [95%]", "lock waits", "lock handoffs",
                  "lock wait", "lock wait p99", "GIL handoffs", "forced switches", "GIL wait"]
QUEUE_HEADERS = ["queue wait / item", "blocked in get", "blocked in put"]


def _thread_row(results, run, queues):
    if run.key.mode == "seq":
        ratio = BASELINE
    else:
        claim = claims.claim_for(results, run)
        ratio = verdict.cell_text(claim) if claim is not None else fmt.DASH
    row = [run.key.policy, run.key.mode, str(run.key.n), fmt.seconds(run.time_s), ratio,
           _lock_waits_cell(run), _count(run, "lock_handoffs"), _ns(run, "lock_wait_ns_total"),
           _ns(run, "lock_wait_ns_p99"), _count(run, "gil_handoffs"),
           _count(run, "gil_forced_switches"), _ns(run, "gil_wait_ns_total")]
    if queues:
        row += [fmt.seconds(queue_wait_per_item(run)), _ns(run, "queue_get_blocked_ns_total"),
                _ns(run, "queue_put_blocked_ns_total")]
    return row


def _policies(runs_):
    return sorted({r.key.policy for r in runs_}, key=lambda p: order_index(p, POLICY_ORDER))


def thread_table(results, workload):
    """(Table or None, the rows it could not show): each policy's seq row, then its threads
    rows."""
    threads = _select(results, workload, "threads")
    if not threads:
        return None, []
    rows, failed = [], []
    for policy in _policies(threads):
        seq = results.get(workload, policy, "seq", 1, PLACEMENT)
        for run in ([seq] if seq is not None else []) + [r for r in threads
                                                          if r.key.policy == policy]:
            (rows if run.ok else failed).append(run)
    queues = any(queue_wait_per_item(r) is not None for r in rows)
    table = Table(THREAD_HEADERS + (QUEUE_HEADERS if queues else []),
                  [_thread_row(results, r, queues) for r in rows],
                  ["l", "l"] + ["r"] * (len(THREAD_HEADERS) - 2 + (3 if queues else 0)))
    table.notes.append(
        "Medians of %s, placement `os`. ÷ seq/1: time over the one-thread row of the same "
        "policy, paired within rounds, [95%% interval]; **slower**/**faster** only when the "
        "whole interval lies beyond ±%d%%, %s: no difference this run can show. Lock waits: the "
        "acquisitions of a `Lock`, `RLock`, `Semaphore`, `Condition` or a queue's own lock "
        "that found it taken and had to block (of all acquisitions); a lock handoff: a waiter "
        "took the lock straight from its holder. Lock wait, GIL wait: the time threads spent "
        "blocked on the locks and waiting for the GIL, summed over the threads (so they can add "
        "up to more than the row's time). %s: not counted (CPython counts none of these; "
        "a program without locks has no lock figures)." % (
            tables.repetitions(rows) if rows else "no repetition",
            round(100 * stats.NOISE_FLOOR), verdict.INCONCLUSIVE_MARK, fmt.DASH))
    if queues:
        table.notes.append("Queue wait / item: how long an item sat in a queue between its "
                           "`put` and its `get`; blocked in get / put: the threads' time waiting "
                           "for an item, or for room in a full queue.")
    return table, failed


POOL_HEADERS = ["workload", "policy", "n", "time", "processes/n", "÷ processes/n [95%]", "tasks",
                "bytes out / in", "parent (de)serialize", "parent waiting", "workers' calls",
                "workers (de)serialize", "pool's machinery"]


def _pool_row(results, run):
    key = run.key
    base = results.processes_row(key)
    claim = claims.claim_between(run, base)
    split = pool_split(run)
    cells = [key.workload, key.policy, str(key.n), fmt.seconds(run.time_s),
             fmt.seconds(base.time_s) if base is not None and base.ok else fmt.DASH,
             verdict.cell_text(claim) if claim is not None else fmt.DASH]
    if split is None:
        return cells + [fmt.DASH] * (len(POOL_HEADERS) - len(cells))
    return cells + [
        fmt.count(split.tasks),
        "%s / %s" % (_bytes(split.bytes_sent), _bytes(split.bytes_received)),
        fmt.seconds(split.parent_codec), fmt.seconds(split.ipc_wait),
        fmt.seconds(split.worker_compute), fmt.seconds(split.worker_codec),
        "%s (%s)" % (fmt.seconds(split.machinery), fmt.percent(split.machinery_share))]


def pool_table(results):
    """(Table or None, the rows it could not show) of every pool row."""
    pools = [r for w in POOL_WORKLOADS for r in _select(results, w, "pool")]
    if not pools:
        return None, []
    ok = [r for r in pools if r.ok]
    table = Table(POOL_HEADERS, [_pool_row(results, r) for r in ok],
                  ["l", "l"] + ["r"] * (len(POOL_HEADERS) - 2))
    table.notes.append(
        "Medians of %s, placement `os`. A `pool` row: the workload makes its own pool of n "
        "processes (`multiprocessing.Pool`; executor's `ProcessPoolExecutor`) in one call; "
        "its `processes` row: the harness forks n children, each running its share without a "
        "pool (processes/n: that row's time). ÷ processes/n: the pool row's time over that "
        "row's, paired within rounds [95%% interval], **slower**/**faster** only beyond "
        "±%d%%. Bytes out / in: tasks sent to the workers, results back. Parent: the pool's "
        "process turning tasks into bytes and results back, and its time waiting until "
        "workers answered (they compute meanwhile); workers: their calls and their own (de)serializing, summed over the "
        "workers. Pool's machinery: the row's time beyond the workers' calls split evenly over "
        "them — starting the workers, (de)serializing, the pipes, waiting for the slowest. %s: "
        "not counted (CPython counts none of these)." % (
            tables.repetitions(ok) if ok else "no repetition", round(100 * stats.NOISE_FLOOR),
            fmt.DASH))
    return table, [r for r in pools if not r.ok]


# --- the section ------------------------------------------------------------------------------

INTRO = (
    "Five workloads start their own threads or processes, as the programs people write do. "
    "Their threads wait for more than the GIL: for locks (`bank`), for items in queues "
    "(`pipeline`), for results (`executor`). Below, each threads row against one thread of the "
    "same policy, with the lock, queue and GIL figures that say where the time went; then each "
    "workload's own process pool against the same number of processes forked by the harness, "
    "with where the pool's time went. A cause is given only where the figures carry it: the "
    "threads judged slower, and their time blocked on the program's locks (per thread) at least "
    "%s of the extra time over one thread." % fmt.percent(LOCK_WAIT_EXPLAINS))


def blocks(results, cpython_version=None):
    """The section "Locks, queues and pools" (without its heading); [] when the run has no rows
    of the workloads that start their own workers."""
    if not present(results):
        return []
    out = [Para(INTRO)]
    shown = False
    for workload in THREAD_WORKLOADS:
        table, failed = thread_table(results, workload)
        if table is None:
            continue
        shown = True
        out += [Heading(3, TITLES[workload])]
        out += [table] if table.rows else [Para("No successful threads row of %s." % workload)]
        findings = thread_findings(results, workload, cpython_version)
        if findings:
            out.append(Bullets([f.sentence for f in findings]))
        out += tables.skipped_blocks(failed)
    table, failed = pool_table(results)
    if table is not None:
        shown = True
        out += [Heading(3, "Pools: a workload's own processes against the harness's")]
        out += [table] if table.rows else [Para("No successful pool row.")]
        findings = pool_findings(results, cpython_version)
        if findings:
            out.append(Bullets([f.sentence for f in findings]))
        out += tables.skipped_blocks(failed)
    if not shown:
        out.append(Para("No threads or pool rows of %s in this run: only their one-thread or "
                        "processes rows, which the tables above show." % ", ".join(
                            "`%s`" % w for w in SPAWNER_WORKLOADS)))
    return out
