"""The workload table shared with gilbench's C++ harness (harness/workloads.cc): which function of
which file, the job's size, how it is split over n workers, and the result it must give -- or,
for the five workloads that start their own threads or processes (the spawners), which function
each mode calls with n and how a processes row deals the job.

The figures here are the contract: gilbench's rows and ours are compared side by side, so a
change on one side must be made on the other.
"""

import math
from dataclasses import dataclass
from typing import Optional

# tiny is for tests only (a tenth of quick or less); long is full with countdown 7.5x longer (the
# default reproduction's size, as harness/workloads.cc's Size::kLong).
SIZES = ("tiny", "quick", "full", "long")
TRIO = ("latency", "bandwidth", "convoy")
SPAWNER_NAMES = ("factorize_class", "bank", "pipeline", "pool", "executor")
NAMES = ("countdown", "factorize", "sleep", "native", "pipe_io") + TRIO + SPAWNER_NAMES
# Every mode, in the order rows are planned and listed: pool (the workload's own process pool)
# only where a spawner has a pool function.
MODES = ("seq", "threads", "processes", "pool")
POLICY = "cpython"
PLACEMENT = "os"  # CPython's threads and processes go wherever the OS puts them

FACTORIZE_NUMBERS = {
    "tiny": (21390, 12147, 15166, 15822),
    "quick": (213907, 121475, 151663, 158228),
    "full": (2139079, 1214759, 1516637, 1582285),
}
FACTORIZE_NUMBERS["long"] = FACTORIZE_NUMBERS["full"]
FACTORIZE_CHECKSUMS = {"tiny": 129528, "quick": 842648, "full": 7260864, "long": 7260864}
# factorize's numbers are factorize_class.py's and executor.py's NUMBERS divided by these
FACTORIZE_DIVISORS = (100, 10, 1)
NATIVE_KIB = 256
NATIVE_PER_BLOCK = 20  # sha256(b"gilbench" * 32768).digest()[0] + 1
PIPE_MESSAGE = 1024
PIPE_INTERVAL_US = 500


def by_size(size, tiny, quick, full):
    return {"tiny": tiny, "quick": quick, "full": full, "long": full}[size]


@dataclass(frozen=True)
class Spawner:
    """How a workload that starts its own threads or processes is run. Its functions take how
    many first (n), then the job's size. seq calls `function(1, size)`; a threads row calls
    `threads_function(n, size)` and a pool row `pool_function(n, size)`, once, in the driver's
    main thread (the workload starts and joins its threads or its pool itself); a processes row
    forks n children, child i calling `function(1, size, i, n)` when `deal` is "index" (the
    function takes its share by first/step) or `function(1, share_i)` when it is "cut" (the size
    cut as countdown's n is: the first child takes the remainder)."""

    file: str
    function: str  # seq's, and each processes child's
    deal: str  # "index" or "cut"
    sizes: tuple  # the job's size at tiny, quick, full (long is full)
    threads_function: str = ""  # "": no threads rows
    pool_function: str = ""  # "": no pool rows
    checksums: tuple = ()  # the result at tiny, quick, full; (): the size itself
    items: tuple = ()  # items_per_second's work at tiny, quick, full; (): the size itself

    def function_for(self, mode):
        """The function a row of `mode` calls ("": the spawner has no rows of that mode)."""
        return {"seq": self.function, "threads": self.threads_function,
                "processes": self.function, "pool": self.pool_function}[mode]

    def modes(self):
        """The modes with rows at n (seq's n is always 1), in MODES' order."""
        return [mode for mode in MODES[1:] if self.function_for(mode)]


# factorize_class and executor factorize factorize's numbers (the size is their divisor), so they
# give its checksums and make its trial divisions.
_AS_FACTORIZE = dict(deal="index", sizes=FACTORIZE_DIVISORS,
                     checksums=tuple(FACTORIZE_CHECKSUMS[s] for s in SIZES[:3]),
                     items=tuple(sum(FACTORIZE_NUMBERS[s]) for s in SIZES[:3]))
# The contract's table (workloads/README.md has what each one shows). The others' work items are
# their size (transfers, items, countdown steps).
SPAWNERS = {
    "factorize_class": Spawner("factorize_class.py", "factorize_class",
                               threads_function="factorize_class", **_AS_FACTORIZE),
    # the result is the transfers made + the money's drift: the transfers when it is conserved
    "bank": Spawner("bank.py", "bank", deal="cut", sizes=(3000, 100_000, 1_000_000),
                    threads_function="bank"),
    "pipeline": Spawner("pipeline.py", "pipeline", deal="index", sizes=(500, 20_000, 200_000),
                        threads_function="pipeline",
                        checksums=(41842240, 9792940750, 99856583201)),
    "pool": Spawner("pool.py", "pool", deal="cut", sizes=(200_000, 2_000_000, 20_000_000),
                    pool_function="pool"),
    "executor": Spawner("executor.py", "thread_executor", threads_function="thread_executor",
                        pool_function="process_executor", **_AS_FACTORIZE),
}


def spawner_workload(name, size):
    """The spawner `name` at `size` as a Workload: its one call is the job's size, without n."""
    spawner = SPAWNERS[name]
    job = by_size(size, *spawner.sizes)
    expected = by_size(size, *spawner.checksums) if spawner.checksums else job
    items = by_size(size, *spawner.items) if spawner.items else job
    return Workload(name, spawner.file, spawner.function, [(job,)], expected=expected,
                    work_items=items, spawner=spawner)


@dataclass
class Workload:
    """One workload at one size. `calls` are the whole job's calls (argument tuples of
    `function`, without the pipe fds the native side adds in front; for a spawner, without the n
    in front)."""

    name: str
    file: str
    function: str
    calls: list
    expected: int = 0  # unused for the trio, whose native side knows the right answer
    work_items: int = 0  # for items_per_second (0: none)
    native: str = ""  # "", "feeders", "latency", "bandwidth" or "drainer"
    duration_ms: int = 0  # the trio's burn and I/O time
    interval_us: int = 0  # latency: the client's send interval; pipe_io: the feeders' pace
    message_size: int = 0
    spawner: Optional[Spawner] = None  # set for the workloads that start their own workers

    @property
    def io_trio(self):
        return self.name in TRIO


def find_workload(name, size):
    """The Workload `name` at `size` (a name from NAMES)."""
    if name in SPAWNERS:
        return spawner_workload(name, size)
    if name == "countdown":
        n = 150_000_000 if size == "long" else by_size(size, 200_000, 2_000_000, 20_000_000)
        return Workload(name, "countdown.py", "countdown", [(n,)], expected=0, work_items=n)
    if name == "factorize":
        numbers = FACTORIZE_NUMBERS[size]
        # one trial division per candidate divisor
        return Workload(name, "factorize.py", "divisor_sum", [(x,) for x in numbers],
                        expected=FACTORIZE_CHECKSUMS[size], work_items=sum(numbers))
    if name == "sleep":
        count = by_size(size, 4, 20, 100)
        ms = by_size(size, 2, 5, 10)
        return Workload(name, "sleep.py", "nap", [(count, ms)], expected=count, work_items=count)
    if name == "native":
        count = by_size(size, 16, 512, 4096)
        return Workload(name, "native.py", "hash_blocks", [(count, NATIVE_KIB)],
                        expected=count * NATIVE_PER_BLOCK, work_items=count)
    if name == "pipe_io":
        count = by_size(size, 20, 200, 2000)
        return Workload(name, "pipe_io.py", "relay", [(count, PIPE_MESSAGE)],
                        expected=count * PIPE_MESSAGE, work_items=count, native="feeders",
                        interval_us=PIPE_INTERVAL_US, message_size=PIPE_MESSAGE)
    if name in TRIO:
        ms = by_size(size, 60, 300, 1000)
        if name == "convoy":
            return Workload(name, "io_trio.py", "writer", [(ms,)], native="drainer",
                            duration_ms=ms)
        interval_us = by_size(size, 5000, 10000, 10000) if name == "latency" else 0
        return Workload(name, "io_trio.py", "echo", [()], native=name, duration_ms=ms,
                        interval_us=interval_us)
    raise KeyError(name)


def split(workload, workers):
    """The calls of each of `workers` workers: a single call has its first argument cut in
    `workers` parts (the first takes the remainder, as countdown.py's run_threaded does); several
    calls are dealt round-robin."""
    if len(workload.calls) == 1 and workload.calls[0]:
        total, rest = workload.calls[0][0], tuple(workload.calls[0][1:])
        share = total // workers
        return [[((total - share * (workers - 1) if i == 0 else share),) + rest]
                for i in range(workers)]
    parts = [[] for _ in range(workers)]
    for i, call in enumerate(workload.calls):
        parts[i % workers].append(tuple(call))
    return parts


@dataclass
class Benchmark:
    """One row family: a workload in a mode with n workers (for the trio, n CPU threads beside
    the I/O thread; for a spawner's threads and pool rows, the n its function is given)."""

    workload: Workload
    mode: str  # one of MODES
    n: int
    family_index: int = 0

    @property
    def name(self):
        return f"{self.workload.name}/{POLICY}/{self.mode}/{self.n}/{PLACEMENT}"

    @property
    def run_name(self):
        # gilbench's rows carry the suffix Google Benchmark adds for UseRealTime()
        return self.name + "/real_time"

    @property
    def where(self):
        """Where the workers run: "driver" (one, in the driver's main thread: seq, and a
        spawner's threads and pool rows, whose one call starts the workload's own workers),
        "threads" (threads of the driver) or "processes" (forked children of the driver)."""
        if self.mode == "seq" or (self.workload.spawner and self.mode != "processes"):
            return "driver"
        return self.mode

    @property
    def own_workers(self):
        """Whether the workload starts its own threads or processes in this row: the driver's
        per-thread scheduler figures then see only the thread that started and joined them."""
        return bool(self.workload.spawner) and self.mode in ("threads", "pool")

    def worker_calls(self, leading_fds):
        """[(function, args)] per worker; `leading_fds[i]` go in front of worker i's arguments."""
        w = self.workload
        if w.spawner:
            return self._spawner_calls()
        if w.io_trio:
            io = [(w.function, tuple(leading_fds[0]) + tuple(w.calls[0]))]
            return [io] + [[("burn", (w.duration_ms,))] for _ in range(self.n)]
        parts = split(w, self.workers)
        return [[(w.function, tuple(leading_fds[i]) + call) for call in part]
                for i, part in enumerate(parts)]

    def _spawner_calls(self):
        """A spawner's calls (Spawner says which): one worker calling the mode's function with
        n, or n processes each calling `function` with n = 1 and its share of the job."""
        spawner, (job,) = self.workload.spawner, self.workload.calls[0]
        if self.mode == "processes":
            if spawner.deal == "index":
                return [[(spawner.function, (1, job, i, self.n))] for i in range(self.n)]
            return [[(spawner.function, (1,) + call) for call in part]
                    for part in split(self.workload, self.n)]
        return [[(spawner.function_for(self.mode), (self.n, job))]]

    @property
    def workers(self):
        """Threads or processes the run starts (the trio's I/O one included); 1 where the one
        worker is the driver's main thread."""
        if self.where == "driver":
            return 1
        return self.n + 1 if self.workload.io_trio else self.n


def plan(names, size, threads, cpu_threads):
    """Every benchmark of the run, in gilbench's order: per workload seq, threads/n...,
    processes/n... (a spawner: then pool/n..., and only the modes it has; the trio: threads/n...,
    processes/n... over the CPU-thread counts)."""
    benchmarks = []
    for name in names:
        w = find_workload(name, size)
        if w.io_trio:
            modes = [(mode, n) for mode in ("threads", "processes") for n in cpu_threads]
        else:
            at_n = w.spawner.modes() if w.spawner else ["threads", "processes"]
            modes = [("seq", 1)] + [(mode, n) for mode in at_n for n in threads]
        for mode, n in modes:
            benchmarks.append(Benchmark(w, mode, n, family_index=len(benchmarks)))
    return benchmarks


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list (p in 0..1)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p * len(ordered)))
    return ordered[rank - 1]
