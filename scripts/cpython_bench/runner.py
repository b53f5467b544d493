"""One timed run of a benchmark: its workers in the driver's main thread (seq, and the threads
and pool rows of the workloads that start their own threads or processes: one call, which starts
and joins them), in threads of the driver (threads) or in forked processes (processes), beside
the native side's helper process.

Everything the run forks is forked before the clock starts and waits at a gate; the clock runs
from opening the gate until every worker has returned. Reaping and collecting the helper's report
are outside it. No child outlives a run: ChildSet kills and reaps whatever is left, on errors and
on KeyboardInterrupt too. A workload's own pool is the exception: it is forked and reaped inside
the timed call (`with Pool(...)`, `with ProcessPoolExecutor(...)` join their workers on the way
out), so its children's CPU time is in the run's RUSAGE_CHILDREN.
"""

import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import threading
import time
from dataclasses import dataclass, field

from . import sched
from .native_side import NativeError, make_native_side

FORK = multiprocessing.get_context("fork")
GO = b"g"
GRACE_S = 5  # how long to wait for children after a timeout or failure before killing them


class RunError(Exception):
    """A run that failed: its row becomes an error row with this message."""


def describe(error):
    return f"{type(error).__name__}: {error}"


@dataclass
class Usage:
    """getrusage's figures the rows report."""

    user_s: float = 0.0
    sys_s: float = 0.0
    voluntary: int = 0
    involuntary: int = 0

    @classmethod
    def of(cls, who):
        ru = resource.getrusage(who)
        return cls(ru.ru_utime, ru.ru_stime, ru.ru_nvcsw, ru.ru_nivcsw)

    def __add__(self, other):
        return Usage(self.user_s + other.user_s, self.sys_s + other.sys_s,
                     self.voluntary + other.voluntary, self.involuntary + other.involuntary)

    def __sub__(self, other):
        return Usage(self.user_s - other.user_s, self.sys_s - other.sys_s,
                     self.voluntary - other.voluntary, self.involuntary - other.involuntary)


@dataclass
class Measurement:
    """What one run measured: `values[i]` is worker i's result; `expected` what they must add
    up to (the workload's checksum, or what the native side saw)."""

    wall_ns: int
    driver_cpu_s: float  # the driver process's own CPU over the timed part
    usage: Usage  # the driver (all its threads) over the timed part + its reaped children
    # (the workload's own pool processes included)
    values: list
    expected: int
    io_counters: dict
    sched: dict  # the workers' scheduler figures summed (sched.py): metric -> int; empty when
    # the workload started its own workers (the driver's thread only started and joined them)
    # processes mode: the slowest child's figures and the children's fairness (children_figures)
    children: dict = field(default_factory=dict)


class Gate:
    """Holds every participant of a run until the clock starts, then releases them together.
    Threads wait on an Event; children read one byte each from a pipe, so that a driver that
    dies before opening the gate leaves them at EOF (they exit) instead of waiting forever."""

    def __init__(self):
        self.r, self.w = os.pipe()
        self._event = threading.Event()
        self._go = False

    def open(self, children):
        os.write(self.w, GO * children)  # children first: they take longer to wake
        self._go = True
        self._event.set()

    def close(self):
        """Releases whoever still waits without letting them run (the run was abandoned)."""
        self._event.set()
        for fd in (self.w, self.r):
            try:
                os.close(fd)
            except OSError:
                pass

    def wait_thread(self):
        self._event.wait()
        return self._go

    def wait_child(self):
        return os.read(self.r, 1) == GO


def run_calls(module, calls):
    """A worker's job: its calls one after another; (the sum of their results, end time, the
    worker thread's scheduler figures over the calls)."""
    total = 0
    before = sched.snapshot()
    for function, args in calls:
        total += getattr(module, function)(*args)
    end_ns = time.perf_counter_ns()
    return total, end_ns, sched.difference(before, sched.snapshot())


# The signals that stop a run (Ctrl-C; cpython-bench turns SIGTERM into one): held back while a
# child is forked and recorded, so that a stop never lands between the fork and the record and
# leaves a child the cleanup does not know of.
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _child_main(conn, gate, body, close_fds):
    """A forked child: close the pipe ends that are not its own (so the others see EOF when their
    peers go), say it is ready, wait for the gate, run, report ("ok", value) or ("error", text)."""
    # The parent blocked these around the fork (Children.start); the child takes them again.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    for fd in close_fds:
        os.close(fd)
    os.close(gate.w)
    try:
        conn.send(("ready", None))
        if not gate.wait_child():
            return
        try:
            message = ("ok", body())
        except Exception as e:  # reported as the row's error
            message = ("error", describe(e))
        conn.send(message)
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # the driver is going away; it kills and reaps what is left


class ChildSet:
    """The processes of one run, with the read end of each one's report pipe. Leaving the
    context kills and reaps whatever is still there."""

    def __init__(self, gate):
        self.gate = gate
        self.procs = []
        self.conns = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.reap(time.monotonic())
        for conn in self.conns:
            conn.close()

    def start(self, body, close_fds):
        """Forks a child that runs body() after the gate, closing `close_fds` (the run's pipe
        ends the driver holds now that are not the child's); the index of its report pipe."""
        r, w = FORK.Pipe(duplex=False)
        proc = FORK.Process(target=_child_main, args=(w, self.gate, body, close_fds),
                            daemon=True)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            proc.start()
            self.procs.append(proc)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        w.close()  # only the child writes: its exit is EOF here
        self.conns.append(r)
        return len(self.conns) - 1

    def collect(self, indexes, deadline):
        """One message from each child in `indexes`, in order: ("ok", value) or ("error", text);
        a child that exits or misses the deadline gives an error."""
        messages = {}
        waiting = {self.conns[i]: i for i in indexes}
        while waiting:
            ready = multiprocessing.connection.wait(list(waiting),
                                                    max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            for conn in ready:
                i = waiting.pop(conn)
                try:
                    messages[i] = conn.recv()
                except EOFError:
                    self.procs[i].join(GRACE_S)
                    messages[i] = ("error", f"exited (status {self.procs[i].exitcode}) without "
                                            "reporting")
        for i in waiting.values():
            messages[i] = ("error", "did not report in time")
        return [messages[i] for i in indexes]

    def wait_ready(self, deadline):
        for i, (kind, text) in enumerate(self.collect(range(len(self.conns)), deadline)):
            if kind != "ready":
                raise RunError(f"child {i} never got ready: {text}")

    def kill_all(self):
        for proc in self.procs:
            if proc.is_alive():
                proc.kill()

    def reap(self, deadline):
        """Joins every child (killing those still alive at the deadline), so that their figures
        are in RUSAGE_CHILDREN."""
        for proc in self.procs:
            proc.join(max(0.0, deadline - time.monotonic()))
        self.kill_all()
        for proc in self.procs:
            proc.join()


class WorkerThread:
    """A worker of the threads mode: started before the clock, runs at the gate."""

    def __init__(self, module, calls, gate):
        self.gate = gate
        self.ready = threading.Event()
        self.outcome = ("error", "did not finish")
        self._module, self._calls = module, calls
        # daemon: a thread stuck in a call the timeout gave up on must not keep the driver alive
        self.thread = threading.Thread(target=self._main, daemon=True)
        self.thread.start()

    def _main(self):
        self.ready.set()
        if not self.gate.wait_thread():
            self.outcome = ("error", "abandoned before the start")
            return
        try:
            self.outcome = ("ok", run_calls(self._module, self._calls))
        except Exception as e:  # reported as the row's error
            self.outcome = ("error", describe(e))


def join_threads(threads, deadline, children):
    """Waits for the worker threads; at the deadline kills the helper, whose pipes then give
    the stuck I/O calls EOF or EPIPE, and waits a little more."""
    for t in threads:
        t.thread.join(max(0.0, deadline - time.monotonic()))
    if any(t.thread.is_alive() for t in threads):
        children.kill_all()
        for t in threads:
            t.thread.join(GRACE_S)
    return [t.outcome if not t.thread.is_alive() else ("error", "did not finish in time")
            for t in threads]


def first_error(outcomes, calls):
    """RunError for the first worker that failed, named by its index and first function."""
    for i, (kind, text) in enumerate(outcomes):
        if kind != "ok":
            raise RunError(f"worker {i} ({calls[i][0][0]}): {text}")


def measure(bench, module, timeout_s):
    """Runs `bench` once; a Measurement, or RunError when a worker or the native side failed
    (the result itself is checked by the caller)."""
    native = make_native_side(bench, stall_s=timeout_s)
    gate = Gate()
    try:
        with ChildSet(gate) as children:
            run = Run(bench, module, native, gate, children, timeout_s)
            run.prepare()
            run.timed()
            run.wind_down()
            return run.measurement()
    finally:
        gate.close()
        if native:
            native.close()


class Run:
    """The phases of one run: prepare (fork, start, wait until all are ready), timed (open the
    gate, wait for the workers), wind_down (let the helper finish, reap), measurement."""

    def __init__(self, bench, module, native, gate, children, timeout_s):
        self.bench, self.module, self.native = bench, module, native
        self.gate, self.children = gate, children
        self.deadline = time.monotonic() + timeout_s
        self.calls = bench.worker_calls(native.worker_fds if native else [()] * bench.workers)
        self.helper = None  # the helper's index in children
        self.workers = []  # the worker processes' indexes in children
        self.threads = []
        self.report = None

    def prepare(self):
        native = self.native
        if native:
            self.helper = self.children.start(native.body, native.open_fds_but(native.helper_fds))
            native.close_helper_ends()
        if self.bench.where == "processes":
            for i, calls in enumerate(self.calls):
                body = lambda c=calls: run_calls(self.module, c)  # noqa: E731
                own = native.worker_fds[i] if native else ()
                self.workers.append(
                    self.children.start(body, native.open_fds_but(own) if native else ()))
            if native:
                native.close_worker_ends()
        elif self.bench.where == "threads":
            self.threads = [WorkerThread(self.module, c, self.gate) for c in self.calls]
        self.children.wait_ready(self.deadline)
        for t in self.threads:
            t.ready.wait(max(0.0, self.deadline - time.monotonic()))

    def timed(self):
        self.self0 = Usage.of(resource.RUSAGE_SELF)
        self.children0 = Usage.of(resource.RUSAGE_CHILDREN)
        self.t0 = time.perf_counter_ns()
        self.gate.open(len(self.children.procs))
        if self.bench.where == "driver":
            try:
                self.outcomes = [("ok", run_calls(self.module, self.calls[0]))]
            except Exception as e:
                self.outcomes = [("error", describe(e))]
        elif self.bench.where == "threads":
            self.outcomes = join_threads(self.threads, self.deadline, self.children)
        else:
            self.outcomes = self.children.collect(self.workers, self.deadline)
        self.t1 = time.perf_counter_ns()
        self.self1 = Usage.of(resource.RUSAGE_SELF)

    def wind_down(self):
        if self.native:
            self.native.close_worker_ends()  # the helper sees EOF on the workers' pipes
            self.report = self.children.collect([self.helper], self.deadline)[0]
        # children that have reported exit on their own; after a failure, anything left is stuck
        outcomes = self.outcomes + ([self.report] if self.report else [])
        failed = any(kind != "ok" for kind, _ in outcomes)
        self.children.reap(time.monotonic() + (0 if failed else GRACE_S))
        self.children1 = Usage.of(resource.RUSAGE_CHILDREN)

    def measurement(self):
        first_error(self.outcomes, self.calls)
        values = [value for _, (value, _, _) in self.outcomes]
        end_ns = [end for _, (_, end, _) in self.outcomes]
        worker_sched = {} if self.bench.own_workers else sched.total(
            [figures for _, (_, _, figures) in self.outcomes])
        expected, io_counters = self.bench.workload.expected, {}
        if self.native:
            kind, report = self.report
            if kind != "ok":
                raise RunError(f"native side: {report}")
            try:
                expected, io_counters = self.native.finish(report, values, end_ns, self.t0)
            except NativeError as e:
                raise RunError(f"native side: {e}") from None
        own = self.self1 - self.self0
        children = (children_figures(self.t0, end_ns, [f for _, (_, _, f) in self.outcomes])
                    if self.bench.where == "processes" else {})
        return Measurement(wall_ns=self.t1 - self.t0, driver_cpu_s=own.user_s + own.sys_s,
                           usage=own + (self.children1 - self.children0), values=values,
                           expected=expected, io_counters=io_counters, sched=worker_sched,
                           children=children)


def children_figures(t0_ns, end_ns, figures):
    """A processes run's children as gilbench reports them: the slowest child's wall time (from
    the gate to the end of its calls; perf_counter is CLOCK_MONOTONIC, one clock for every
    process), CPU time and run delay (`slowest_worker_*`), and Jain's index of the children's CPU
    time over their wall time (`fairness_cpu`). Figures a child could not read are left out."""
    walls = [end - t0_ns for end in end_ns]
    if not walls or min(walls) <= 0:
        return {}
    slowest = max(range(len(walls)), key=walls.__getitem__)
    out = {"slowest_worker_wall_ns": walls[slowest]}
    for metric in ("task_clock_ns", "sched_run_delay_ns"):
        if metric in figures[slowest]:
            name = "task_clock_ns" if metric == "task_clock_ns" else "run_delay_ns"
            out["slowest_worker_" + name] = figures[slowest][metric]
    if len(walls) >= 2 and all("task_clock_ns" in f for f in figures):
        shares = [f["task_clock_ns"] / w for f, w in zip(figures, walls)]
        if sum(x * x for x in shares) > 0:
            out["fairness_cpu"] = sum(shares) ** 2 / (len(shares) * sum(x * x for x in shares))
    return out
