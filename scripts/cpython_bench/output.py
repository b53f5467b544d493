"""Rows and file in Google Benchmark's JSON shape (1.7.1), so that reports put CPython's rows in
the same tables as gilbench's: iteration rows, error rows (`error_occurred`), the aggregates
Google Benchmark adds when there are repetitions, and the context."""

import datetime
import json
import math
import os
import platform
import socket
import statistics
import sys
import tempfile

from . import sched

DRIVER = "scripts/cpython-bench"


def _head(bench, reps):
    return {"name": bench.run_name, "family_index": bench.family_index,
            "per_family_instance_index": 0, "run_name": bench.run_name,
            "run_type": "iteration", "repetitions": reps}


def counters_of(bench, m, result):
    """The user counters of a good run (Measurement m), as plain numbers."""
    seconds = m.wall_ns / 1e9
    counters = {
        "cpu_user_s": m.usage.user_s,
        "cpu_sys_s": m.usage.sys_s,
        "ctx_voluntary": m.usage.voluntary,
        "ctx_involuntary": m.usage.involuntary,
        "result": result,
        **m.io_counters,
        **m.sched,
        **m.children,
    }
    if bench.workload.work_items and seconds > 0:
        counters["items_per_second"] = bench.workload.work_items / seconds
    return counters


def iteration_row(bench, rep, reps, m, result):
    row = _head(bench, reps)
    row.update({"repetition_index": rep, "threads": 1, "iterations": 1,
                "real_time": m.wall_ns / 1e6, "cpu_time": m.driver_cpu_s * 1e3,
                "time_unit": "ms"})
    counters = counters_of(bench, m, result)
    row.update({key: float(counters[key]) for key in sorted(counters)})
    return row


def error_row(bench, rep, reps, message):
    """What Google Benchmark writes for a run that called SkipWithError."""
    row = _head(bench, reps)
    row.update({"repetition_index": rep, "threads": 1, "error_occurred": True,
                "error_message": message, "iterations": 0, "real_time": 0.0, "cpu_time": 0.0,
                "time_unit": "ms"})
    return row


def _cv(values):
    # Google Benchmark's: stddev / mean, NaN when the mean is 0 (as its JSON shows)
    mean = statistics.fmean(values)
    return statistics.stdev(values) / mean if mean != 0 else math.nan


AGGREGATES = (("mean", "time", statistics.fmean), ("median", "time", statistics.median),
              ("stddev", "time", statistics.stdev), ("cv", "percentage", _cv))


def aggregate_rows(bench, reps, rows):
    """mean, median, stddev and cv over the good rows of one benchmark, for real_time, cpu_time
    and every counter; none when fewer than 2 runs were good (Google Benchmark's rule)."""
    good = [row for row in rows if not row.get("error_occurred")]
    if len(good) < 2:
        return []
    fields = ["real_time", "cpu_time"] + [key for key in good[0] if key not in (
        "name", "family_index", "per_family_instance_index", "run_name", "run_type",
        "repetitions", "repetition_index", "threads", "iterations", "real_time", "cpu_time",
        "time_unit")]
    aggregates = []
    for name, unit, statistic in AGGREGATES:
        row = _head(bench, reps)
        row.update({"name": f"{bench.run_name}_{name}", "run_type": "aggregate", "threads": 1,
                    "aggregate_name": name, "aggregate_unit": unit, "iterations": len(good)})
        values = {key: statistic([float(r[key]) for r in good]) for key in fields}
        row.update({"real_time": values.pop("real_time"), "cpu_time": values.pop("cpu_time"),
                    "time_unit": "ms", **values})
        aggregates.append(row)
    return aggregates


def context(size, workload_dir):
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host_name": socket.gethostname(),
        "executable": sys.executable,
        "num_cpus": os.cpu_count(),
        "load_avg": list(os.getloadavg()),
        "library_build_type": "release",
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "size": size,
        "driver": DRIVER,
        "workload_dir": workload_dir,
        # Repetition r of every benchmark runs before repetition r + 1 (a round), so runs with the
        # same repetition_index ran close in time: scripts/report pairs them (runs.py).
        "repetitions_in_rounds": "true",
        "sched_counters": sched.sources_string(),
    }


def write_json(document, path):
    """Writes the document to `path` through a temporary file in the same folder and a rename,
    so an interrupted run never leaves a half-written file; to stdout when path is None."""
    text = json.dumps(document, indent=2) + "\n"
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".cpython-bench.", suffix=".json.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the results from other users
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
