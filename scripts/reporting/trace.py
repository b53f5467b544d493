"""Read a `gilvm --trace` file (Chrome/Perfetto trace JSON) into per-thread GIL states.

gilvm writes, per thread, strictly nested `B`/`E` spans named `holding`, `waiting` (for the GIL),
`blocked` (in I/O or sleep, without the GIL) and `waiting for a lock` (blocked on a Lock,
Condition, Semaphore, queue or future, without the GIL; older traces have none), instants
(`ph: i`) for `drop request`, `futile wakeup` and `forced switch`, a `C` counter "waiting
threads", `M` thread names, and in `otherData` the policy and how many events were dropped when
a thread's buffer filled. Timestamps are microseconds.
Complete events (`X` with `dur`) are read too, so a trace from another tool of the same format
draws as well.

The switch interval is read from `otherData.switch_interval_us` when the trace has it; gilvm
(gil/gil.cc, Gil::TraceJson) does not write it today, so a report says "not in the trace" rather
than guess it.
"""

import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import runs

LOCK_WAIT = "waiting for a lock"
STATES = ("holding", "waiting", "blocked", LOCK_WAIT)
MARKS = ("futile wakeup", "drop request", "forced switch")


class TraceError(Exception):
    """A trace file that cannot be read or is not trace JSON."""


@dataclass
class Thread:
    pid: int
    tid: int
    name: str = ""
    spans: Dict[str, List[Tuple[float, float]]] = field(default_factory=dict)  # state -> [(b, e)]
    marks: Dict[str, List[float]] = field(default_factory=dict)  # instant name -> [ts]

    def total_us(self, state):
        return sum(e - b for b, e in self.spans.get(state, ()))

    def label(self):
        return self.name or "tid %d" % self.tid


@dataclass
class Trace:
    threads: List[Thread]
    waiting: List[Tuple[float, float]]  # the "waiting threads" counter: (ts, value)
    policy: str
    dropped: int  # events lost to full buffers (the picture has gaps when > 0)
    start: float
    end: float
    switch_interval_us: Optional[float] = None  # otherData.switch_interval_us, when recorded

    def lock_waits_then_gil(self, gap_us=5.0):
        """(lock waits, those followed at once by a wait for the GIL, the median of those GIL
        waits in µs or None): a thread woken from a lock wait holds the lock (the VM, as CPython,
        takes it with the GIL released) and then waits for the GIL -- the two waits back to back
        that make a convoy of a lock under a GIL. `gap_us`: how close the GIL wait must begin."""
        waits, then_gil, gil_us = 0, 0, []
        for t in self.threads:
            spans = sorted((b, e, state) for state, pairs in t.spans.items() for b, e in pairs)
            for (b, e, state), after in zip(spans, spans[1:] + [None]):
                if state != LOCK_WAIT:
                    continue
                waits += 1
                if after is not None and after[2] == "waiting" and after[0] - e <= gap_us:
                    then_gil += 1
                    gil_us.append(after[1] - after[0])
        gil_us.sort()
        return waits, then_gil, (gil_us[len(gil_us) // 2] if gil_us else None)

    def has_state(self, state):
        """Whether any thread was ever in `state` (a trace of a program without locks, or from
        an older gilvm, has no lock waits)."""
        return any(t.spans.get(state) for t in self.threads)

    def span_count(self):
        return sum(len(v) for t in self.threads for v in t.spans.values())

    def sequential_phase(self):
        """(start, end, thread) of the opening stretch where one thread alone is active, or None.

        countdown.py (and any script that runs its work once before starting threads) opens with
        one thread holding the GIL while no other thread has an event yet. The phase ends where
        that thread's last hold begun before the second thread's first event ends (or at that
        first event). None when the trace has one thread only, or the first thread did not hold
        the GIL before the others came.
        """
        firsts = []
        for t in self.threads:
            times = [b for spans in t.spans.values() for b, _ in spans]
            times += [m for marks in t.marks.values() for m in marks]
            if times:
                firsts.append((min(times), t.pid, t.tid, t))
        if len(firsts) < 2:
            return None
        firsts.sort(key=lambda f: f[:3])
        lone, others_begin = firsts[0][3], firsts[1][0]
        holds = [(b, min(e, others_begin)) for b, e in lone.spans.get("holding", ())
                 if b < others_begin]
        if not holds:
            return None
        end = max(e for _, e in holds)
        return (self.start, end, lone) if end > self.start else None


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise TraceError("%s: %s" % (path, e)) from None
    events = data.get("traceEvents") if isinstance(data, dict) else data
    if not isinstance(events, list):
        raise TraceError("%s: no traceEvents list" % path)
    other = data.get("otherData", {}) if isinstance(data, dict) else {}
    return events, other if isinstance(other, dict) else {}


def load(path):
    """The trace's threads (by pid, tid), their spans and marks; TraceError when unreadable."""
    events, other = _read(path)
    threads, stacks, waiting, times = {}, {}, [], []

    def thread(ev):
        key = (int(ev.get("pid", 0)), int(ev.get("tid", 0)))
        if key not in threads:
            threads[key] = Thread(*key)
        return threads[key]

    for index, ev in enumerate(events):
        if not isinstance(ev, dict):
            continue
        problem = _event_problem(ev)
        if problem:
            raise TraceError("%s: traceEvents[%d]: %s" % (path, index, problem))
        ph, name, ts = ev.get("ph"), ev.get("name", ""), ev.get("ts")
        if ph == "M":
            if name == "thread_name":
                thread(ev).name = str(ev.get("args", {}).get("name", ""))
            continue
        if not isinstance(ts, (int, float)):
            continue
        times.append(ts)
        if ph == "B":
            stacks.setdefault((ev.get("pid", 0), ev.get("tid", 0)), []).append((name, ts))
            thread(ev)
        elif ph == "E":
            stack = stacks.get((ev.get("pid", 0), ev.get("tid", 0)))
            if stack:
                began_name, began = stack.pop()  # spans nest strictly: E closes the last B
                thread(ev).spans.setdefault(began_name, []).append((began, ts))
        elif ph == "X":
            end = ts + float(ev.get("dur", 0))
            times.append(end)
            thread(ev).spans.setdefault(name, []).append((ts, end))
        elif ph in ("i", "I"):
            thread(ev).marks.setdefault(name, []).append(ts)
        elif ph == "C" and name == "waiting threads":
            args = ev.get("args", {})
            if args:
                waiting.append((ts, float(next(iter(args.values())))))
    if not times:
        raise TraceError("%s: no timed events" % path)
    end = max(times)
    for (pid, tid), stack in stacks.items():  # a span still open at the end runs to the end
        for name, began in stack:
            threads[(pid, tid)].spans.setdefault(name, []).append((began, end))
    dropped = other.get("dropped_events_total", 0)
    if dropped is not None and not runs.is_number(dropped):
        raise TraceError("%s: dropped_events_total is %s, not a number" % (
            path, runs.describe_value(dropped)))
    return Trace(threads=[threads[k] for k in sorted(threads)], waiting=sorted(waiting),
                 policy=str(other.get("policy", "")), dropped=int(dropped or 0),
                 start=min(times), end=end,
                 switch_interval_us=_positive(other.get("switch_interval_us")))


def _is_whole(value):
    return runs.is_number(value) and float(value).is_integer()


# The event fields load() reads, and what each must hold where present.
_EVENT_FIELDS = (("pid", _is_whole, "a whole number"), ("tid", _is_whole, "a whole number"),
                 ("name", lambda v: isinstance(v, str), "text"),
                 ("args", lambda v: isinstance(v, dict), "an object"),
                 ("ts", runs.is_number, "a number"),
                 ("dur", lambda v: runs.is_number(v) and v >= 0, "a duration"))


def _event_problem(ev):
    """Why load() cannot read an event (a value of the wrong kind: NaN, a string, a list), or
    None: a trace is drawn whole or not at all."""
    for key, ok, expected in _EVENT_FIELDS:
        if key in ev and not ok(ev[key]):
            return "%s is %s, not %s" % (key, runs.describe_value(ev[key]), expected)
    if ev.get("ph") == "C" and not all(runs.is_number(v) for v in ev.get("args", {}).values()):
        return "a counter's args hold a value that is not a number"
    return None


def _positive(value):
    """A positive number (or numeric string) from otherData, else None."""
    if isinstance(value, bool):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if value > 0 and value != float("inf") else None

