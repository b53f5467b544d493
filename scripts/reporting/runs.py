"""Load gilbench's Google Benchmark JSON into runs: one Run per benchmark name, with its samples.

Google Benchmark writes, for each benchmark, one "iteration" row per repetition and then, with
--benchmark_repetitions, "aggregate" rows (_mean, _median, _stddev, _cv). We keep the iteration
rows as samples and compute medians and spreads ourselves, so a file with one repetition, with
several, or (with --benchmark_report_aggregates_only) with aggregates alone all read the same way.
A row that failed or was skipped (`error_occurred`, e.g. "smt: no core has 2 PUs") is kept as the
run's reason, never as a timing of zero.

Our names are `workload/policy[@<interval>us]/mode/n/placement/process_time/real_time` (the
suffixes come from MeasureProcessCPUTime and UseRealTime; older files have /real_time alone);
`parse_name` turns one into a Key. Names that do not parse are kept aside so a report can list
them instead of failing on someone else's benchmark.
"""

import json
import math
import os
import re
import statistics
from dataclasses import dataclass
from typing import Optional

from . import stats

# Display and sort orders. Unknown values sort after the known ones, alphabetically.
POLICY_ORDER = ("py2", "py3", "fifo", "prio", "subinterp", "cpython")
MODE_ORDER = ("seq", "threads", "processes")
PLACEMENT_ORDER = ("os", "one-core", "spread", "smt", "cross-package")
# The CPU-bound pair leads every report (countdown is the classic), then the workloads where
# threads should win, then the I/O trio whose n counts CPU-bound threads beside one I/O thread.
CPU_WORKLOADS = ("countdown", "factorize")
OTHER_WORKLOADS = ("sleep", "native", "pipe_io")
IO_WORKLOADS = ("latency", "bandwidth", "convoy")
WORKLOAD_ORDER = CPU_WORKLOADS + OTHER_WORKLOADS + IO_WORKLOADS

# Keys Google Benchmark writes on every row; every other numeric key is a user counter.
_LIBRARY_FIELDS = frozenset((
    "name", "run_name", "run_type", "repetitions", "repetition_index", "threads", "iterations",
    "real_time", "cpu_time", "time_unit", "family_index", "per_family_instance_index",
    "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label",
    "skipped", "skip_message",
))
_SECONDS_PER_UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
_AGGREGATE_SUFFIX = re.compile(r"_(mean|median|stddev|cv|min|max)$")
# Google Benchmark appends /process_time (MeasureProcessCPUTime: the CPU column counts every
# thread of the process) and then /real_time (UseRealTime: the time column is wall-clock).
_TIMING_SUFFIX = re.compile(r"(/process_time)?(/real_time|/manual_time)?$")
_POLICY = re.compile(r"^([^@/]+?)(?:@(\d+(?:\.\d+)?)(us|µs|ms|s)?)?$")
_INTERVAL_US = {None: 1.0, "us": 1.0, "µs": 1.0, "ms": 1e3, "s": 1e6}

# The sample's wall time in seconds, under a name that cannot collide with a counter.
TIME = "real_time_s"


class LoadError(Exception):
    """A results file that is missing, unreadable or not Google Benchmark JSON."""


def order_index(value, order):
    """Sort key placing known values in their display order and the rest after, by name."""
    return (order.index(value), "") if value in order else (len(order), str(value))


@dataclass(frozen=True)
class Key:
    """What a benchmark name says: which workload ran under which policy, how, on which cores."""

    workload: str
    policy: str
    mode: str
    n: int
    placement: str
    interval_us: Optional[float] = None  # only the switch-interval sweep names one

    def sort_key(self):
        return (order_index(self.workload, WORKLOAD_ORDER), order_index(self.policy, POLICY_ORDER),
                self.interval_us or 0.0, order_index(self.placement, PLACEMENT_ORDER),
                order_index(self.mode, MODE_ORDER), self.n)

    def policy_label(self):
        """`py3` or, in the sweep, `py3@1000us` (as the name spells it)."""
        if self.interval_us is None:
            return self.policy
        return "%s@%sus" % (self.policy, _plain_number(self.interval_us))

    def short(self):
        """`py2/threads/2/os`: the name without workload and timing suffix, for lists."""
        return "%s/%s/%d/%s" % (self.policy_label(), self.mode, self.n, self.placement)


def _plain_number(x):
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def parse_name(run_name):
    """Key of `countdown/py3@100us/threads/2/os/real_time`, or None for a name not ours."""
    parts = _TIMING_SUFFIX.sub("", run_name).split("/")
    if len(parts) != 5:
        return None
    workload, policy_part, mode, n_text, placement = parts
    match = _POLICY.match(policy_part)
    if not match or not n_text.isdigit() or not workload or not mode or not placement:
        return None
    interval = None
    if match.group(2) is not None:
        interval = float(match.group(2)) * _INTERVAL_US[match.group(3)]
    return Key(workload, match.group(1), mode, int(n_text), placement, interval)


def _finite(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _derive(sample):
    """Add the per-sample ratios the tables show, so their medians are medians of ratios."""
    wall = sample.get(TIME)
    if wall and "gil_handoffs" in sample:
        sample["handoffs_per_s"] = sample["gil_handoffs"] / wall
    if sample.get("gil_handoffs") and "gil_futile_wakeups" in sample:
        sample["futile_per_handoff"] = sample["gil_futile_wakeups"] / sample["gil_handoffs"]
    if sample.get("cycles") and "instructions" in sample:
        sample["ipc"] = sample["instructions"] / sample["cycles"]
    return sample


def _sample(row):
    """One row's wall time (seconds) and counters; non-finite values are dropped."""
    scale = _SECONDS_PER_UNIT.get(row.get("time_unit", "ns"), 1e-9)
    sample = {TIME: float(row.get("real_time", 0.0)) * scale}
    for name, value in row.items():
        if name not in _LIBRARY_FIELDS and _finite(value):
            sample[name] = float(value)
    return _derive(sample)


class Run:
    """One benchmark name: its samples (one per repetition) or the reason it has none."""

    def __init__(self, name, key):
        self.name = name
        self.key = key  # None for a name that is not ours
        self.samples = []  # dicts: TIME and counters, one per successful repetition
        self.errors = []  # error messages of failed or skipped repetitions
        self.labels = []  # `ran_on=0,1` of each successful repetition
        self.aggregates = {}  # aggregate_name -> row, used only when there are no iterations
        self.aggregate_only = False  # the one sample is Google Benchmark's median row
        # The repetition_index of each sample when the file ran its repetitions in rounds
        # (context `repetitions_in_rounds`): samples of two runs with the same round ran close
        # in time, so a ratio is best taken within a round (Results.paired_ratios).
        self.rounds = []

    @property
    def ok(self):
        return bool(self.samples)

    @property
    def reason(self):
        """Why the run has no timing (the first error message), or None."""
        return None if self.ok else (self.errors[0] if self.errors else "no successful repetition")

    @property
    def reps(self):
        """Samples we hold (what a statistical test can use)."""
        return len(self.samples)

    @property
    def repetitions(self):
        """Repetitions the run had: with aggregates only, the count behind their median."""
        if self.aggregate_only:
            row = self.aggregates.get("median") or self.aggregates.get("mean") or {}
            return int(row.get("repetitions", 1))
        return self.reps

    def values(self, metric):
        return [s[metric] for s in self.samples if metric in s]

    def has(self, metric):
        return bool(self.values(metric))

    def median(self, metric=TIME):
        values = self.values(metric)
        return statistics.median(values) if values else None

    @property
    def time_s(self):
        return self.median(TIME)

    def spread(self, metric=TIME):
        """(min, max) over the repetitions, or None with fewer than two."""
        values = self.values(metric)
        return (min(values), max(values)) if len(values) >= 2 else None

    def cv(self, metric=TIME):
        """Coefficient of variation (sample stddev / mean), as Google Benchmark's _cv."""
        if self.aggregate_only:
            row = self.aggregates.get("cv", {})
            key = "real_time" if metric == TIME else metric
            return row[key] if _finite(row.get(key)) else None
        values = self.values(metric)
        if len(values) < 2 or statistics.mean(values) == 0:
            return None
        return statistics.stdev(values) / statistics.mean(values)

    @property
    def label(self):
        """The most common label (workers' PUs); repetitions may land on different PUs."""
        if not self.labels:
            return ""
        return max(sorted(set(self.labels)), key=self.labels.count)

    def _finish(self):
        # --benchmark_report_aggregates_only leaves only aggregates: take the median row (else the
        # mean) as the single sample we can stand on.
        if not self.samples:
            row = self.aggregates.get("median") or self.aggregates.get("mean")
            if row is not None and not row.get("error_occurred"):
                self.samples.append(_sample(row))
                self.aggregate_only = True


class RunFile:
    """One gilbench.json (or cpython.json): its context and its runs in file order."""

    def __init__(self, path, context, runs):
        self.path = path
        self.context = context
        self.runs = runs  # name -> Run, file order
        self.unparsed = [r.name for r in runs.values() if r.key is None]

    def keyed(self):
        """Runs whose names are ours, as Key -> Run."""
        return {r.key: r for r in self.runs.values() if r.key is not None}


def _run_name(row):
    name = row.get("run_name")
    if name:
        return name
    name = row.get("name", "")
    return _AGGREGATE_SUFFIX.sub("", name) if row.get("run_type") == "aggregate" else name


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)  # Google Benchmark writes NaN for empty cv: json accepts it
    except FileNotFoundError:
        raise LoadError("%s: no such file" % path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise LoadError("%s: cannot read: %s" % (path, e)) from None
    except json.JSONDecodeError as e:
        raise LoadError("%s: not valid JSON: %s" % (path, e)) from None


def load(path):
    """Read one Google Benchmark JSON file into a RunFile; LoadError when it is not one."""
    return parse(read_json(path), path)


def parse(data, path):
    """A Google Benchmark document (read from `path`, which names it in errors) as a RunFile."""
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise LoadError("%s: not Google Benchmark JSON (no \"benchmarks\" list)" % path)
    context = data.get("context") if isinstance(data.get("context"), dict) else {}
    in_rounds = str(context.get("repetitions_in_rounds", "")).lower() == "true"
    runs = {}
    for row in data["benchmarks"]:
        if not isinstance(row, dict) or "name" not in row:
            continue
        name = _run_name(row)
        run = runs.get(name)
        if run is None:
            run = runs[name] = Run(name, parse_name(name))
        if row.get("run_type") == "aggregate":
            run.aggregates[row.get("aggregate_name", "")] = row
        elif row.get("error_occurred") or row.get("skipped"):
            run.errors.append(str(row.get("error_message") or row.get("skip_message") or "failed"))
        elif not _finite(row.get("real_time")):
            run.errors.append("no real_time in the row")  # a hand-edited or truncated file
        else:
            run.samples.append(_sample(row))
            if in_rounds and isinstance(row.get("repetition_index"), int):
                run.rounds.append(row["repetition_index"])
            if row.get("label"):
                run.labels.append(str(row["label"]))
    for run in runs.values():
        run._finish()
    return RunFile(path, context, runs)


def results_file(path):
    """A run directory stands for its gilbench.json; a file stands for itself."""
    return os.path.join(path, "gilbench.json") if os.path.isdir(path) else path


class Results:
    """The runs of a report: gilbench's and, merged in, CPython's (policy `cpython`)."""

    def __init__(self, files):
        self.files = files
        self.by_key = {}
        for f in files:
            for key, run in f.keyed().items():
                self.by_key.setdefault(key, run)  # the first file (gilbench's) wins a clash
        self.unparsed = [name for f in files for name in f.unparsed]

    def get(self, workload, policy, mode, n, placement, interval_us=None):
        return self.by_key.get(Key(workload, policy, mode, n, placement, interval_us))

    def select(self, predicate=lambda key: True):
        """Runs whose key satisfies predicate, in display order."""
        keys = sorted((k for k in self.by_key if predicate(k)), key=Key.sort_key)
        return [self.by_key[k] for k in keys]

    def workloads(self):
        names = {k.workload for k in self.by_key}
        return sorted(names, key=lambda w: order_index(w, WORKLOAD_ORDER))

    def seq_baseline(self, key):
        """The seq run a threads/processes run is divided by, and whether it is a stand-in.

        Same workload, policy, interval and placement. When that seq run is missing or failed,
        the closest one stands in, and the caller says so: the one without the sweep's interval
        (one thread has no one to switch to, so the interval hardly matters), then the one on
        `os` (a one-thread run on `smt` is skipped where there is no SMT; one thread's time hardly
        depends on where it is pinned).
        """
        candidates = [(key.interval_us, key.placement), (None, key.placement),
                      (key.interval_us, "os"), (None, "os")]
        for i, (interval, placement) in enumerate(candidates):
            run = self.get(key.workload, key.policy, "seq", 1, placement, interval)
            if run is not None and run.ok:
                return run, i > 0
        return None, False

    def paired_ratios(self, run):
        """time / seq time within each round both ran (two or more), or None.

        On a machine whose speed drifts from minute to minute, the median of ratios of runs made
        close in time is far steadier than the ratio of medians of runs made anywhere in the
        session: scripts/reproduce --full runs its repetitions in rounds for that reason.
        """
        if run is None or not run.ok:
            return None
        base, _ = self.seq_baseline(run.key)
        if base is None or len(run.rounds) != len(run.samples) or \
                len(base.rounds) != len(base.samples):
            return None
        base_time = {r: s[TIME] for r, s in zip(base.rounds, base.samples) if s[TIME]}
        ratios = [s[TIME] / base_time[r] for r, s in zip(run.rounds, run.samples)
                  if r in base_time]
        return ratios if len(ratios) >= 2 else None

    def ratio(self, run):
        """(time / seq time, stand-in?) for a run, or (None, False) without a baseline: the
        geometric mean of the paired ratios when the runs came in rounds (as every claim's,
        stats.py), else the ratio of medians."""
        if run is None or not run.ok:
            return None, False
        base, stand_in = self.seq_baseline(run.key)
        if base is None or not base.time_s:
            return None, False
        paired = self.paired_ratios(run)
        if paired is not None:
            return stats.geometric_mean(paired), stand_in
        return run.time_s / base.time_s, stand_in
