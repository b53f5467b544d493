"""The scheduler's figures for one worker thread, from /proc/thread-self: the same metrics and
the same files as gilbench's (harness/sched_counters.h), so CPython's rows and gilvm's can be
read side by side. cpython-bench reads /proc and the thread CPU clock only (perf_event_open
is not in the standard library); a metric it cannot read is absent from the row, never zero.

GILBENCH_NO_PROC_SCHED=1 makes the files unreadable, as it does for gilbench (tests)."""

import os
import time

METRICS = ("task_clock_ns", "sched_run_delay_ns", "sched_timeslices", "cpu_migrations",
           "page_faults")
SOURCES = {"task_clock_ns": "clock_gettime(CLOCK_THREAD_CPUTIME_ID)",
           "sched_run_delay_ns": "/proc/thread-self/schedstat",
           "sched_timeslices": "/proc/thread-self/schedstat",
           "cpu_migrations": "/proc/thread-self/sched",
           "page_faults": "/proc/thread-self/stat"}


def _disabled():
    value = os.environ.get("GILBENCH_NO_PROC_SCHED", "")
    return value not in ("", "0")


def _read(path):
    with open(path, "rb") as f:
        return f.read().decode("ascii", "replace")


def snapshot():
    """The calling thread's figures now: {metric: int}, missing what could not be read."""
    if _disabled():
        return {}
    # The thread CPU clock, not schedstat's first field: the kernel updates that one only at a
    # scheduling event or a tick, so a thread that is still running reads a stale value.
    values = {"task_clock_ns": time.thread_time_ns()}
    try:
        _, wait_ns, slices = _read("/proc/thread-self/schedstat").split()[:3]
        values.update(sched_run_delay_ns=int(wait_ns), sched_timeslices=int(slices))
    except (OSError, ValueError):
        pass
    try:
        for line in _read("/proc/thread-self/sched").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "se.nr_migrations":
                values["cpu_migrations"] = int(value)
    except (OSError, ValueError):
        pass
    try:
        # After the ')' that ends the command name: field 3 first; minflt is 10, majflt 12.
        fields = _read("/proc/thread-self/stat").rpartition(")")[2].split()
        values["page_faults"] = int(fields[10 - 3]) + int(fields[12 - 3])
    except (OSError, ValueError, IndexError):
        pass
    return values


def difference(before, after):
    """after - before per metric, for the metrics both have."""
    return {m: after[m] - before[m] for m in METRICS if m in before and m in after}


def total(readings):
    """The workers' readings summed, keeping only the metrics every worker has."""
    if not readings:
        return {}
    keep = set(METRICS)
    for reading in readings:
        keep &= set(reading)
    return {m: sum(r[m] for r in readings) for m in METRICS if m in keep}


def sources_string():
    """The context's sched_counters, in gilbench's words."""
    got = snapshot()
    text = ", ".join(f"{m}={SOURCES[m] if m in got else 'absent'}" for m in METRICS)
    text += "; perf software events: not read by cpython-bench (/proc and the thread clock only)"
    if _disabled():
        text += "; /proc scheduler files and thread clock: disabled by GILBENCH_NO_PROC_SCHED"
    return text
