"""The native side of the I/O workloads: a forked helper process at the other end of the workers'
pipes. It holds no GIL of the measured process, as gilbench's native threads (harness/native_side.h)
hold none of the VM's: pipe_io's paced feeders and drainers, latency's and bandwidth's echo
client, convoy's drainer.

Per run: the constructor opens the pipes, `worker_fds[i]` are the fds worker i's calls start with,
`body()` runs in the helper once the gate opens and returns its report, and `finish()` turns that
report into the result the workers must have returned and the I/O counters.

The helper never waits without a bound: every wait polls with the stall limit, and the driver
closes its ends of the pipes (or the worker process that held them exits) when the workers end,
so a worker that raised leaves the helper at EOF or EPIPE instead of waiting forever.
"""

import os
import select
import time

from . import workloads

MESSAGE_SIZE = 16  # io_trio.MESSAGE_SIZE: b"M" or b"Q", then 15 bytes
CHUNK = 65536


class NativeError(Exception):
    """The native side saw something wrong (EOF too early, a stall, a wrong echo)."""


def make_native_side(bench, stall_s):
    """The NativeSide of `bench`'s workload, or None when it has no pipes."""
    kinds = {"feeders": PipeFeeders, "latency": LatencyClient, "bandwidth": BandwidthClient,
             "drainer": ConvoyDrainer}
    kind = kinds.get(bench.workload.native)
    return kind(bench, stall_s) if kind else None


def wait_for(fd, events, stall_s, what):
    """Polls one fd until `events`, hang-up or error; NativeError after stall_s without them."""
    poller = select.poll()
    poller.register(fd, events)
    if not poller.poll(stall_s * 1000):
        raise NativeError(f"no {what} within {stall_s:g} s")


def read_exactly(fd, size, stall_s, what):
    """`size` bytes from a pipe (reads may be short: reassemble); NativeError on EOF."""
    data = b""
    while len(data) < size:
        wait_for(fd, select.POLLIN, stall_s, what)
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise NativeError(f"EOF after {len(data)} of {size} bytes of {what}")
        data += chunk
    return data


def sleep_until(deadline_ns):
    remaining = deadline_ns - time.perf_counter_ns()
    if remaining > 0:
        time.sleep(remaining / 1e9)


class NativeSide:
    """Pipes shared by the workers and the helper; subclasses say what the helper does."""

    def __init__(self, bench, stall_s):
        self.bench = bench
        self.stall_s = stall_s
        self.worker_fds = [() for _ in range(bench.workers)]  # per worker, in call order
        self.helper_fds = []  # the helper's ends
        self._open = set()  # every fd still open in the driver

    def pipe(self):
        r, w = os.pipe()
        self._open.update((r, w))
        return r, w

    def open_fds_but(self, own):
        """The pipe ends the driver still holds, but `own`: what a child forked now closes."""
        return sorted(self._open - set(own))

    def close(self, fds=None):
        """Closes `fds` (default: all) in the driver, each once."""
        for fd in list(self._open if fds is None else fds):
            if fd in self._open:
                self._open.discard(fd)
                os.close(fd)

    def close_helper_ends(self):
        """After forking the helper: the driver must not hold them, or a worker would not see
        EOF (or EPIPE) when the helper goes away."""
        self.close(self.helper_fds)

    def close_worker_ends(self):
        """When the workers are done (threads) or forked (processes): the helper then sees EOF."""
        self.close(fd for fds in self.worker_fds for fd in fds)

    def body(self):
        raise NotImplementedError

    def finish(self, report, values, end_ns, t0_ns):
        """(expected result, I/O counters) from the helper's report and the workers' return
        values and end times; NativeError when the two sides disagree."""
        raise NotImplementedError


class PipeFeeders(NativeSide):
    """pipe_io: per worker a feeder writing its share of messages into the worker's input pipe,
    one every interval on an absolute schedule (a device producing data), and a drainer reading
    the worker's output pipe -- all in one poll loop, so the helper is one process however many
    workers there are."""

    def __init__(self, bench, stall_s):
        super().__init__(bench, stall_s)
        w = bench.workload
        self.size = w.message_size
        self.interval_ns = w.interval_us * 1000
        # each worker's share of the messages, as its relay calls ask for them
        self.counts = [sum(args[0] for _, args in calls) for calls in bench.worker_calls(
            [()] * bench.workers)]
        self.feeds, self.drains = [], []
        for i in range(bench.workers):
            in_r, in_w = self.pipe()
            out_r, out_w = self.pipe()
            self.worker_fds[i] = (in_r, out_w)
            self.feeds.append(in_w)
            self.drains.append(out_r)
        self.helper_fds = self.feeds + self.drains

    def body(self):
        # One loop drains every output pipe and feeds every input pipe when its next message is
        # due (or when a full pipe has room again); it sleeps in poll until then.
        start = time.perf_counter_ns()
        feeders = [Feeder(fd, count, b"p" * self.size, start, self.interval_ns)
                   for fd, count in zip(self.feeds, self.counts)]
        drained = [0] * len(self.drains)
        draining = {fd: i for i, fd in enumerate(self.drains)}
        while draining or not all(f.done for f in feeders):
            waiting = [f for f in feeders if not f.done and not f.pending]
            due = min((f.due_ns for f in waiting), default=None)
            poller = select.poll()
            for fd in draining:
                poller.register(fd, select.POLLIN)
            for f in feeders:
                if not f.done and f.pending:  # a full pipe: wait until it has room
                    poller.register(f.fd, select.POLLOUT)
            timeout_ms = (self.stall_s * 1000 if due is None
                          else max(0.0, (due - time.perf_counter_ns()) / 1e6))
            events = poller.poll(timeout_ms)
            for fd, _ in events:
                if fd in draining:
                    chunk = os.read(fd, CHUNK)
                    drained[draining[fd]] += len(chunk)
                    if not chunk:
                        del draining[fd]
            now = time.perf_counter_ns()
            fed = [f.feed(now) for f in feeders]
            if due is None and not events and not any(fed):
                raise NativeError(f"pipe_io stalled for {self.stall_s:g} s: sent "
                                  f"{[f.sent for f in feeders]}, drained {drained}")
        return {"sent": [f.sent for f in feeders], "drained": drained}

    def finish(self, report, values, end_ns, t0_ns):
        for i, (got, drained) in enumerate(zip(values, report["drained"])):
            if got != drained:
                raise NativeError(f"worker {i}'s relay returned {got} bytes but its drainer "
                                  f"received {drained}")
        return sum(self.counts) * self.size, {}


class Feeder:
    """One worker's device in pipe_io: `count` messages into its input pipe, message k due at
    start + k * interval (an absolute schedule: a late message goes at once, the next ones stay
    on time). The pipe is non-blocking: a worker that lags fills it, and a blocking write would
    stop the loop serving the others (and could deadlock with a worker blocked on its output)."""

    def __init__(self, fd, count, message, start_ns, interval_ns):
        os.set_blocking(fd, False)
        self.fd, self.count, self.message = fd, count, message
        self.start_ns, self.interval_ns = start_ns, interval_ns
        self.sent = 0
        self.pending = b""  # the rest of a message a full pipe cut short
        self.done = False
        if count == 0:
            self._close()

    @property
    def due_ns(self):
        return self.start_ns + self.sent * self.interval_ns

    def feed(self, now_ns):
        """Writes the message due by now, or the rest of one; True when it wrote something."""
        if self.done or (not self.pending and now_ns < self.due_ns):
            return False
        try:
            written = os.write(self.fd, self.pending or self.message)
        except BlockingIOError:
            self.pending = self.pending or self.message
            return False
        except BrokenPipeError:  # the worker went away: nobody to feed
            self._close()
            return True
        self.pending = (self.pending or self.message)[written:]
        if not self.pending:
            self.sent += 1
            if self.sent == self.count:
                self._close()  # the worker sees EOF should it read more
        return True

    def _close(self):
        os.close(self.fd)
        self.done = True


class EchoClient(NativeSide):
    """latency and bandwidth: the client at the other end of echo(rfd, wfd) in worker 0."""

    def __init__(self, bench, stall_s):
        super().__init__(bench, stall_s)
        to_echo_r, self.to_echo = self.pipe()
        self.from_echo, from_echo_w = self.pipe()
        self.worker_fds[0] = (to_echo_r, from_echo_w)
        self.helper_fds = [self.to_echo, self.from_echo]
        self.duration_ns = bench.workload.duration_ms * 1_000_000

    def round_trip(self, kind, seq):
        """Sends one 16-byte message and waits for its echo; the round trip in ns."""
        message = kind + seq.to_bytes(MESSAGE_SIZE - 1, "big")
        sent = time.perf_counter_ns()
        os.write(self.to_echo, message)
        answer = read_exactly(self.from_echo, MESSAGE_SIZE, self.stall_s,
                              f"echo of message {seq}")
        if answer != message:
            raise NativeError(f"echo of message {seq} was {answer!r}, sent {message!r}")
        return time.perf_counter_ns() - sent

    def finish(self, report, values, end_ns, t0_ns):
        return report["sent"], self.counters(report)


class LatencyClient(EchoClient):
    """One message every interval on an absolute schedule, but closed loop: never more than one
    outstanding, so an answer that comes after the next tick makes the next message go at once
    (missed ticks are not skipped). The round trips measure how long the echo thread takes to
    get the GIL back."""

    def body(self):
        interval_ns = self.bench.workload.interval_us * 1000
        start = time.perf_counter_ns()
        end = start + self.duration_ns
        rtts = []
        while True:
            tick = start + len(rtts) * interval_ns
            if tick >= end or time.perf_counter_ns() >= end:
                break
            sleep_until(tick)
            rtts.append(self.round_trip(b"M", len(rtts)))
        self.round_trip(b"Q", len(rtts))
        return {"sent": len(rtts) + 1, "rtts_ns": rtts}

    @staticmethod
    def counters(report):
        rtts = report["rtts_ns"]
        if not rtts:
            raise NativeError("no round trip to measure")
        return {"io_latency_us_p50": workloads.percentile(rtts, 0.50) / 1000,
                "io_latency_us_p99": workloads.percentile(rtts, 0.99) / 1000}


class BandwidthClient(EchoClient):
    """Ping-pong as fast as the echo answers for the duration."""

    def body(self):
        start = time.perf_counter_ns()
        end = start + self.duration_ns
        trips = 0
        last = start
        while last < end:
            self.round_trip(b"M", trips)
            trips += 1
            last = time.perf_counter_ns()
        self.round_trip(b"Q", trips)
        return {"sent": trips + 1, "round_trips": trips, "elapsed_ns": last - start}

    @staticmethod
    def counters(report):
        return {"io_ops_per_s": report["round_trips"] / (report["elapsed_ns"] / 1e9)}


class ConvoyDrainer(NativeSide):
    """convoy: reads everything writer(wfd, ms) writes, until EOF, and reports the count."""

    def __init__(self, bench, stall_s):
        super().__init__(bench, stall_s)
        self.drain, writer_w = self.pipe()
        self.worker_fds[0] = (writer_w,)
        self.helper_fds = [self.drain]

    def body(self):
        received = 0
        while True:
            wait_for(self.drain, select.POLLIN, self.stall_s, "byte from the writer")
            chunk = os.read(self.drain, CHUNK)
            if not chunk:
                return {"received": received}
            received += len(chunk)

    def finish(self, report, values, end_ns, t0_ns):
        writes = values[0]
        seconds = (end_ns[0] - t0_ns) / 1e9
        return report["received"], {"io_ops_per_s": writes / seconds if seconds > 0 else 0.0}
