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

This module is also the one place that decides which values of a file can be used. A file may be
hand-edited, cut short or written by another tool, so any value can be missing, null, NaN,
Infinity, a string, a list or an object. Each value is checked against the kind it is read as
(a time, a counter, a round number, text), and one of the wrong kind is left out and named in
RunFile.problems: a row without a usable time counts as a failed repetition, with the problem as
its reason; the context keys the reports read are kept only when they hold what they are read as.
What gets past the loader is safe to compute with, so nothing downstream checks again.
scripts/report reports the usable rows and lists the problems; scripts/compare, whose verdict on a
file with values left out would pass for a verdict on the run, refuses such a file (load_whole).
"""

import json
import math
import os
import re
import statistics
from dataclasses import dataclass, field
from typing import Optional

from . import stats
from .machine import KERNEL_KEYS

# Display and sort orders. Unknown values sort after the known ones, alphabetically.
POLICY_ORDER = ("py2", "py3", "fifo", "prio", "subinterp", "cpython")
# `processes`: gilbench forks the n children itself; `pool`: the workload makes its own pool of n
# processes (multiprocessing.Pool, ProcessPoolExecutor) in one call.
MODE_ORDER = ("seq", "threads", "processes", "pool")
PLACEMENT_ORDER = ("os", "one-core", "spread", "smt", "cross-package", "numa")
# The CPU-bound pair leads every report (countdown is the classic), then the workloads where
# threads should win, then the I/O trio whose n counts CPU-bound threads beside one I/O thread,
# then the workloads that start their own threads or processes (n is their first argument), whose
# contention beyond the GIL -- locks, queues, pools -- has a section of its own (contention.py).
CPU_WORKLOADS = ("countdown", "factorize")
OTHER_WORKLOADS = ("sleep", "native", "pipe_io")
IO_WORKLOADS = ("latency", "bandwidth", "convoy")
SPAWNER_WORKLOADS = ("factorize_class", "bank", "pipeline", "pool", "executor")
WORKLOAD_ORDER = CPU_WORKLOADS + OTHER_WORKLOADS + IO_WORKLOADS + SPAWNER_WORKLOADS

# Keys Google Benchmark writes on every row; every other key is a user counter, which must hold a
# finite number (a Google Benchmark that writes a new key of its own needs it added here).
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


@dataclass(frozen=True)
class Problem:
    """A value of a results file that cannot be used, and where it is."""

    what: str  # `real_time is NaN, not a time`
    where: str  # the row's name, `benchmarks[3]` when it has none, or `context`


def describe_value(value):
    """A JSON value as a message names it: `NaN`, `null`, `a list`, `the string "12.5"`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "the boolean %s" % ("true" if value else "false")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        text = value if len(value) <= 20 else value[:20] + "…"
        return "the string %s" % json.dumps(text, ensure_ascii=False)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "the number %s" % value


def problem_lines(problems, places=3):
    """One line per kind of problem, naming its first `places` places:
    "real_time is NaN, not a time (`countdown/py3/seq/1/os/real_time` ×5)"."""
    counts = {}
    for p in problems:
        where = counts.setdefault(p.what, {})
        where[p.where] = where.get(p.where, 0) + 1
    lines = []
    for what, where in counts.items():
        named = ["`%s`%s" % (w, " ×%d" % n if n > 1 else "")
                 for w, n in list(where.items())[:places]]
        more = len(where) - places
        lines.append("%s (%s%s)" % (what, ", ".join(named),
                                    " and %d more" % more if more > 0 else ""))
    return lines


def problems_text(problems, kinds=3):
    """The problems in one line: the first `kinds` kinds, and how many more there are."""
    lines = problem_lines(problems)
    more = len(lines) - kinds
    return "; ".join(lines[:kinds]) + ("; and %d more kind%s of problem" % (
        more, "" if more == 1 else "s") if more > 0 else "")


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


def is_number(value):
    """A finite JSON number (not NaN, not Infinity, not a boolean)."""
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
    """A checked row's wall time (seconds) and counters, and the ratios derived from them."""
    sample = {TIME: row.real_time * row.seconds_per_unit}
    sample.update(row.counters)
    return _derive(sample)


def _is_time(value):
    return is_number(value) and value >= 0


def _is_round(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_name(value):
    return isinstance(value, str) and value != ""


@dataclass
class _Row:
    """One entry of `benchmarks`, checked: each value left in it is of the kind it is read as."""

    name: str
    aggregate: Optional[str] = None  # aggregate_name; None for an iteration row
    error: Optional[str] = None  # why this repetition has no timing (failed, skipped, unusable)
    real_time: Optional[float] = None  # as written, in time_unit (a _cv row's is a fraction)
    seconds_per_unit: float = 1e-9
    counters: dict = field(default_factory=dict)
    round: Optional[int] = None  # repetition_index, read only from a file made in rounds
    label: str = ""
    repetitions: int = 1  # an aggregate row's: how many repetitions it sums up


class _RowCheck:
    """Reads the fields of one entry, keeping a Problem for each value of the wrong kind."""

    def __init__(self, entry, where, problems):
        self.entry = entry
        self.where = where  # `benchmarks[3]` until the row's name is known
        self.problems = problems
        self.last = None  # the text of the last problem found

    def get(self, name, ok, expected, default=None, required=False):
        """entry[name] when ok(value); `default` when absent (a problem when required); None,
        with a problem, when the value is of the wrong kind."""
        if name not in self.entry:
            if required:
                self._problem("%s is missing" % name)
            return default
        value = self.entry[name]
        if ok(value):
            return value
        self._problem("%s is %s, not %s" % (name, describe_value(value), expected))
        return None

    def _problem(self, what):
        self.last = what
        self.problems.append(Problem(what, self.where))

    def time(self, row, strict=True):
        """Sets row.real_time and its unit; False when they cannot be used (a problem, unless
        not `strict`: an aggregate's spread may be NaN where Google Benchmark had no spread)."""
        check = self if strict else _RowCheck(self.entry, self.where, [])
        unit = check.get("time_unit", lambda v: isinstance(v, str) and v in _SECONDS_PER_UNIT,
                         "ns, us, ms or s", default="ns")
        value = check.get("real_time", _is_time, "a time", required=True)
        if unit is None or value is None:
            return False
        row.real_time, row.seconds_per_unit = float(value), _SECONDS_PER_UNIT[unit]
        return True

    def counters(self, row, strict=True):
        """Sets row.counters: every key that is not Google Benchmark's own and holds a finite
        number (anything else is a problem, unless not `strict`: an aggregate's _cv of a counter
        that stayed at 0 is NaN)."""
        for name in self.entry:
            if name in _LIBRARY_FIELDS:
                continue
            value = self.get(name, is_number, "a number") if strict else self.entry[name]
            if is_number(value):
                row.counters[name] = float(value)


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
            row = self.aggregates.get("median") or self.aggregates.get("mean")
            return row.repetitions if row is not None else 1
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
            row = self.aggregates.get("cv")
            if row is None:
                return None
            return row.real_time if metric == TIME else row.counters.get(metric)
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

    def add(self, row):
        """One checked row: an aggregate is kept aside, a failed repetition gives its reason, a
        good one is a sample."""
        if row.aggregate is not None:
            self.aggregates[row.aggregate] = row
        elif row.error is not None:
            self.errors.append(row.error)
        else:
            self.samples.append(_sample(row))
            if row.round is not None:
                self.rounds.append(row.round)
            if row.label:
                self.labels.append(row.label)

    def _finish(self):
        # --benchmark_report_aggregates_only leaves only aggregates: take the median row (else the
        # mean) as the single sample we can stand on. Not when repetition rows exist and failed:
        # their aggregates (if any) would hide the failure.
        if not self.samples and not self.errors:
            row = self.aggregates.get("median") or self.aggregates.get("mean")
            if row is not None and row.error is None and row.real_time is not None:
                self.samples.append(_sample(row))
                self.aggregate_only = True


class RunFile:
    """One gilbench.json (or cpython.json): its context and its runs in file order."""

    def __init__(self, path, context, runs, problems=()):
        self.path = path
        self.context = context
        self.runs = runs  # name -> Run, file order
        self.unparsed = [r.name for r in runs.values() if r.key is None]
        self.problems = list(problems)  # the values left out as unusable (Problem)

    def keyed(self):
        """Runs whose names are ours, as Key -> Run."""
        return {r.key: r for r in self.runs.values() if r.key is not None}


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


def load_whole(path):
    """load(), but LoadError, naming the problems, when any value had to be left out: for
    scripts/compare, whose verdict on a file with holes would pass for a verdict on the run."""
    run_file = load(path)
    if run_file.problems:
        raise LoadError("%s: values that cannot be used: %s" % (
            path, problems_text(run_file.problems)))
    return run_file


def parse(data, path):
    """A Google Benchmark document (read from `path`, which names it in errors) as a RunFile;
    its unusable values are left out and named in RunFile.problems."""
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise LoadError("%s: not Google Benchmark JSON (no \"benchmarks\" list)" % path)
    problems = []
    context = _checked_context(data.get("context", {}), problems)
    in_rounds = context.get("repetitions_in_rounds", "").lower() == "true"
    runs = {}
    for index, entry in enumerate(data["benchmarks"]):
        row = _checked_row(entry, index, in_rounds, problems)
        if row is None:
            continue
        run = runs.get(row.name)
        if run is None:
            run = runs[row.name] = Run(row.name, parse_name(row.name))
        run.add(row)
    for run in runs.values():
        run._finish()
    return RunFile(path, context, runs, problems)


def _checked_row(entry, index, in_rounds, problems):
    """One entry of `benchmarks` as a _Row, its unusable values named in `problems`; None when
    it cannot be told which run the entry belongs to (not an object, no name, no known type)."""
    where = "benchmarks[%d]" % index
    if not isinstance(entry, dict):
        problems.append(Problem("an entry is %s, not an object" % describe_value(entry), where))
        return None
    check = _RowCheck(entry, where, problems)
    run_type = check.get("run_type", lambda v: v in ("iteration", "aggregate"),
                         '"iteration" or "aggregate"', default="iteration")
    field_name = "run_name" if "run_name" in entry else "name"
    name = check.get(field_name, _is_name, "a name", required=True)
    if run_type is None or name is None:
        return None
    if field_name == "name" and run_type == "aggregate":
        name = _AGGREGATE_SUFFIX.sub("", name)
    check.where = name
    row = _Row(name)
    failed = check.get("error_occurred", lambda v: isinstance(v, bool), "true or false", False)
    skipped = check.get("skipped", lambda v: isinstance(v, bool), "true or false", False)
    if failed is None or skipped is None:
        row.error = check.last
    elif failed or skipped:
        message = check.get("error_message" if failed else "skip_message",
                            lambda v: isinstance(v, str), "text")
        row.error = message or "failed"
    if run_type == "aggregate":
        return _aggregate_row(check, row)
    if row.error is None and not check.time(row):
        row.error = check.last
    if row.error is None and in_rounds:
        row.round = check.get("repetition_index", _is_round, "a round number", required=True)
        if row.round is None:
            row.error = check.last
    if row.error is None:
        check.counters(row)
        row.label = check.get("label", lambda v: isinstance(v, str), "text", default="") or ""
    return row


# The aggregate rows that stand for a run's time when a file holds aggregates only.
_TIME_AGGREGATES = ("median", "mean")


def _aggregate_row(check, row):
    """An aggregate row (_mean, _median, _stddev, _cv): its name, the count it sums up, and its
    values. Only a median or mean time is required to be a time: it may become the run's."""
    row.aggregate = check.get("aggregate_name", _is_name, "a name", required=True)
    if row.aggregate is None:
        return None
    row.repetitions = check.get("repetitions", _is_round, "a count", default=1) or 1
    if row.error is None:
        check.time(row, strict=row.aggregate in _TIME_AGGREGATES)
    check.counters(row, strict=False)
    return row


# The context keys the reports read, by the kind of value each is read as; a value of another
# kind is left out of RunFile.context (and named among the problems). Other keys are kept as
# they are: scripts/compare lists every key that differs, whatever it holds.
_CONTEXT_TEXT = ("date", "host_name", "cpu_model", "compiler", "build_type", "cxx_flags",
                 "gilbench_version", "git_revision", "size", "pmu_status",
                 "placements_unavailable", "allowed_cpuset", "python_version",
                 "gil_check_interval", "gil_forced_switch", "topology_smt",
                 "repetitions_in_rounds") + KERNEL_KEYS
# gilbench writes its own numbers as text (Google Benchmark's custom context is text).
_CONTEXT_NUMBER = ("num_cpus", "mhz_per_cpu", "gil_switch_interval_us", "topology_packages",
                   "topology_cores", "topology_pus", "topology_numa_nodes",
                   "topology_max_pus_per_core")


def _context_text(value):
    """Text as it is, a number or boolean as JSON spells it (`5000`, `true`); else None."""
    if isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, bool) or is_number(value) else None


def _context_number(value):
    """A finite number, given as one or as text (`"5000"`), as an int when whole; else None."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if not is_number(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def _load_averages(value):
    ok = isinstance(value, list) and value and all(is_number(x) for x in value)
    return value if ok else None


def _caches(value):
    def ok(cache):
        return (isinstance(cache, dict) and is_number(cache.get("level"))
                and isinstance(cache.get("type"), str) and _is_time(cache.get("size")))
    return value if isinstance(value, list) and all(ok(c) for c in value) else None


_CONTEXT_CHECKS = {"load_avg": (_load_averages, "a list of numbers"),
                   "caches": (_caches, "a list of caches (level, type, size)"),
                   **{key: (_context_text, "text") for key in _CONTEXT_TEXT},
                   **{key: (_context_number, "a number") for key in _CONTEXT_NUMBER}}


def _checked_context(context, problems):
    """The context with each key the reports read holding what it is read as (text as text,
    numbers as numbers); the keys that cannot be are left out and named in `problems`."""
    if not isinstance(context, dict):
        problems.append(Problem("the context is %s, not an object" % describe_value(context),
                                "context"))
        return {}
    out = {}
    for key, value in context.items():
        if key not in _CONTEXT_CHECKS:
            out[key] = value
            continue
        convert, expected = _CONTEXT_CHECKS[key]
        usable = convert(value)
        if usable is None:
            problems.append(Problem("%s is %s, not %s" % (key, describe_value(value), expected),
                                    "context"))
        else:
            out[key] = usable
    return out


def results_file(path):
    """A run directory stands for its gilbench.json; a file stands for itself."""
    return os.path.join(path, "gilbench.json") if os.path.isdir(path) else path


def paired_samples(run, base):
    """[(run's sample, base's sample)] of each round both ran, in the run's order; [] when either
    has no rounds recorded (or no base)."""
    if base is None or len(run.rounds) != len(run.samples) or \
            len(base.rounds) != len(base.samples):
        return []
    by_round = dict(zip(base.rounds, base.samples))
    return [(s, by_round[r]) for r, s in zip(run.rounds, run.samples) if r in by_round]


def paired_ratios(run, base):
    """run's time / base's time within each round both ran (two or more), or None."""
    ratios = [s[TIME] / b[TIME] for s, b in paired_samples(run, base) if b[TIME]]
    return ratios if len(ratios) >= 2 else None


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

    def processes_row(self, key):
        """The row a pool row is compared with: gilbench forking n children itself, same
        workload, policy, n and placement (None when the run has none)."""
        return self.get(key.workload, key.policy, "processes", key.n, key.placement)

    def paired_ratios(self, run):
        """time / seq time within each round both ran (two or more), or None.

        On a machine whose speed drifts from minute to minute, the median of ratios of runs made
        close in time is far steadier than the ratio of medians of runs made anywhere in the
        session: scripts/reproduce --full runs its repetitions in rounds for that reason.
        """
        if run is None or not run.ok:
            return None
        return paired_ratios(run, self.seq_baseline(run.key)[0])

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
