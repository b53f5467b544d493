"""The figures a CI user tracks over commits, in the formats their tools read.

scripts/export RUN_DIR --format bencher|github-action-benchmark|csv|markdown [--out FILE]

Tools that read Google Benchmark's JSON themselves (github-action-benchmark's `googlecpp` reader,
Bencher's Google Benchmark adapter) keep only `real_time`: every GIL counter is lost, the I/O rows'
latency and throughput all read as their fixed measuring time, and a skipped row becomes a 0 ms
point. This module reads the run the way the report does (runs.py's checks, the claims' paired
ratios, the decomposition) and writes one Metric per figure:

  measure                      unit   direction  value (bounds, where the run has repetitions)
  wall-time                    s      smaller    median (min..max over the repetitions)
  ratio-vs-seq                 x      smaller    paired ratio against the row's seq row
                                                 (its bootstrap interval; none with < 5 rounds)
  gil-wait-p99                 us     smaller    median of the run's 99th-percentile GIL wait
  gil-handoffs-per-s           1/s    smaller    GIL handoffs per second of wall time: each is a
                                                 switch of threads the workload pays for
  gil-futile-wakeups-per-handoff  x   smaller    wakeups that found the GIL taken, per handoff
  io-latency-p50, io-latency-p99  us  smaller    the I/O thread's request latency
  io-ops-per-s                 1/s    bigger     the I/O thread's throughput
  lock-contended-share         x      smaller    of the program's lock acquisitions, the share
                                                 that had to block (threads rows with locks)
  lock-wait-p99                us     smaller    median of the run's 99th-percentile lock wait
  queue-wait-per-item          us     smaller    how long an item sat in a queue, on average
  pool-vs-processes            x      smaller    a pool row against gilbench's processes row of
                                                 the same n, paired (its interval; none with < 5
                                                 rounds)
  pool-serialize               us     smaller    the pool's serializing and deserializing, parent
                                                 and workers together, per run
  extra-<part>                 s      smaller    the decomposition's parts of the extra time over
                                                 seq (means over the paired rounds, no bounds)

A row that failed or was skipped has no figure and becomes no data point in any format: the
Markdown form lists it with its reason, the JSON and CSV forms leave it out. Benchmarks are named
`workload/policy/mode/n/placement`, as verdict.json names the claims; CPython's rows (policy
`cpython`, from cpython.json) are exported beside the VM's.

Formats:
  bencher                 Bencher Metric Format: {benchmark: {measure: {value, lower_value,
                          upper_value}}}. Bencher keeps a measure's direction on the server: set
                          an upper threshold on the smaller-is-better measures and a lower one on
                          io-ops-per-s (docs/ci.md).
  github-action-benchmark the action's custom JSON: an array of {name, unit, value, range,
                          extra}, one per direction (tool customSmallerIsBetter or
                          customBiggerIsBetter). With --out PREFIX it writes PREFIX-smaller.json
                          and PREFIX-bigger.json; to stdout it needs --direction smaller|bigger.
  csv                     benchmark,measure,unit,direction,value,lower,upper,repetitions
  markdown                one table per direction, then the rows that have no figures and why.
"""

import csv
import io
import json
import os
import statistics
import sys
from dataclasses import dataclass
from typing import Optional

from . import claims, decomposition, runs
from .runs import TIME

FORMATS = ("bencher", "github-action-benchmark", "csv", "markdown")
SMALLER, BIGGER = "smaller", "bigger"
USAGE = ("usage: scripts/export RUN_DIR|gilbench.json --format bencher|github-action-benchmark|"
         "csv|markdown [--out FILE] [--direction smaller|bigger]")

EXIT_OK, EXIT_BAD_INPUT = 0, 2


@dataclass(frozen=True)
class Metric:
    benchmark: str  # countdown/py3/threads/2/os
    measure: str  # a slug: lower case, digits and dashes (Bencher's rule for measure slugs)
    unit: str
    direction: str  # SMALLER or BIGGER is better
    value: float
    lower: Optional[float] = None
    upper: Optional[float] = None
    repetitions: int = 1
    bounds: str = ""  # what lower..upper are, in words


@dataclass(frozen=True)
class Skipped:
    benchmark: str
    reason: str


# (measure, counter, unit, scale, direction): a counter's median and min..max, scaled. The GIL's
# figures are exported for threads rows only: a seq row has no one to wait for, and a processes
# row's children each have a GIL of their own (their zeros would be data points about nothing).
_GIL_MEASURES = (
    ("gil-wait-p99", "gil_wait_ns_p99", "us", 1e-3, SMALLER),
)
_IO_MEASURES = (
    ("io-latency-p50", "io_latency_us_p50", "us", 1.0, SMALLER),
    ("io-latency-p99", "io_latency_us_p99", "us", 1.0, SMALLER),
    ("io-ops-per-s", "io_ops_per_s", "1/s", 1.0, BIGGER),
)


def benchmark_name(key):
    return "%s/%s/%s/%d/%s" % (key.workload, key.policy_label(), key.mode, key.n, key.placement)


def _spread_metric(name, measure, unit, direction, values):
    """Median, with min..max as bounds when there are two values or more."""
    value = statistics.median(values)
    if len(values) < 2:
        return Metric(name, measure, unit, direction, value, repetitions=1)
    return Metric(name, measure, unit, direction, value, min(values), max(values), len(values),
                  "min..max over %d repetitions" % len(values))


def _per_sample(run, numerator, denominator):
    """numerator / denominator within each repetition that has both (denominator > 0)."""
    return [s[numerator] / s[denominator] for s in run.samples
            if numerator in s and s.get(denominator)]


def _sum_per_sample(run, counters, scale):
    """The sum of `counters` within each repetition that has them all, scaled."""
    return [sum(s[c] for c in counters) * scale for s in run.samples
            if all(c in s for c in counters)]


def _claim_metric(name, measure, claim):
    """A paired ratio as a Metric: its bootstrap interval as bounds, when it has one."""
    e = claim.estimate
    bounded = e.low is not None and e.high is not None
    return Metric(name, measure, "x", SMALLER, e.ratio, e.low if bounded else None,
                  e.high if bounded else None, e.rounds,
                  "95%% interval of the paired ratio over %d rounds; %s" % (
                      e.rounds, claim.outcome) if bounded else
                  "no interval: %d round%s; %s" % (e.rounds, "" if e.rounds == 1 else "s",
                                                    claim.outcome))


def lib_metrics(results, run):
    """The program's own locks, queues and pools (the workloads that make their own threads or
    processes): absent where the row counted none of them."""
    name = benchmark_name(run.key)
    out = []
    if run.key.mode == "threads":
        share = _per_sample(run, "lock_contended", "lock_acquisitions")
        if share:
            out.append(_spread_metric(name, "lock-contended-share", "x", SMALLER, share))
        p99 = [v * 1e-3 for v in run.values("lock_wait_ns_p99")]
        if p99:
            out.append(_spread_metric(name, "lock-wait-p99", "us", SMALLER, p99))
        per_item = [v * 1e-3 for v in _per_sample(run, "queue_wait_ns_total", "queue_items_got")]
        if per_item:
            out.append(_spread_metric(name, "queue-wait-per-item", "us", SMALLER, per_item))
    if run.key.mode == "pool":
        claim = claims.claim_between(run, results.processes_row(run.key))
        if claim is not None:
            out.append(_claim_metric(name, "pool-vs-processes", claim))
        codec = _sum_per_sample(run, ("pool_serialize_ns", "pool_deserialize_ns",
                                      "pool_worker_serialize_ns", "pool_worker_deserialize_ns"),
                                1e-3)
        if codec:
            out.append(_spread_metric(name, "pool-serialize", "us", SMALLER, codec))
    return out


def row_metrics(results, run):
    """The Metrics of one successful run."""
    name = benchmark_name(run.key)
    out = [_spread_metric(name, "wall-time", "s", SMALLER, run.values(TIME))]
    claim = claims.claim_for(results, run)
    if claim is not None:
        out.append(_claim_metric(name, "ratio-vs-seq", claim))
    threads = run.key.mode == "threads"
    for measure, counter, unit, scale, direction in (_GIL_MEASURES if threads else ()) + \
            _IO_MEASURES:
        values = [v * scale for v in run.values(counter)]
        if values:
            out.append(_spread_metric(name, measure, unit, direction, values))
    handoffs = _per_sample(run, "gil_handoffs", TIME)
    if handoffs and threads:
        out.append(_spread_metric(name, "gil-handoffs-per-s", "1/s", SMALLER, handoffs))
        futile = _per_sample(run, "gil_futile_wakeups", "gil_handoffs")
        if futile:
            out.append(_spread_metric(name, "gil-futile-wakeups-per-handoff", "x", SMALLER,
                                      futile))
    out += lib_metrics(results, run)
    d = decomposition.decompose(results, run)
    if d is not None:
        words = "mean over %d paired rounds" % d.rounds
        out.append(Metric(name, "extra-total", "s", SMALLER, d.extra, repetitions=d.rounds,
                          bounds=words))
        for part, seconds in d.parts.items():
            out.append(Metric(name, "extra-" + part, "s", SMALLER, seconds,
                              repetitions=d.rounds, bounds=words))
        out.append(Metric(name, "extra-residual", "s", SMALLER, d.residual,
                          repetitions=d.rounds, bounds=words))
    return out


def collect(results):
    """(metrics, skipped) of every row of the run, in display order."""
    metrics, skipped = [], []
    for run in results.select():
        if run.ok:
            metrics.extend(row_metrics(results, run))
        else:
            skipped.append(Skipped(benchmark_name(run.key), run.reason))
    return metrics, skipped


def load(path):
    """runs.Results of a run directory (gilbench.json and, when present, cpython.json) or of one
    results file. Raises runs.LoadError."""
    gilbench = runs.load(runs.results_file(path))
    files = [gilbench]
    if os.path.isdir(path) and os.path.exists(os.path.join(path, "cpython.json")):
        files.append(runs.load(os.path.join(path, "cpython.json")))
    return runs.Results(files)


# ---- formats -------------------------------------------------------------------------------

def to_bencher(metrics):
    doc = {}
    for m in metrics:
        entry = {"value": m.value}
        if m.lower is not None:
            entry["lower_value"] = m.lower
            entry["upper_value"] = m.upper
        doc.setdefault(m.benchmark, {})[m.measure] = entry
    return doc


def _range_text(m):
    return "%s..%s" % (_plain(m.lower), _plain(m.upper)) if m.lower is not None else None


def _plain(x):
    return "%.6g" % x


def to_github_action_benchmark(metrics, direction):
    """The custom tool's array for one direction."""
    out = []
    for m in metrics:
        if m.direction != direction:
            continue
        entry = {"name": "%s %s" % (m.benchmark, m.measure), "unit": m.unit, "value": m.value}
        rng = _range_text(m)
        if rng is not None:
            entry["range"] = rng
        extra = "%s is better" % m.direction
        if m.bounds:
            extra += "; range: " + m.bounds
        entry["extra"] = extra
        out.append(entry)
    return out


CSV_FIELDS = ("benchmark", "measure", "unit", "direction", "value", "lower", "upper",
              "repetitions")


def to_csv(metrics):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for m in metrics:
        w.writerow((m.benchmark, m.measure, m.unit, m.direction, _plain(m.value),
                    "" if m.lower is None else _plain(m.lower),
                    "" if m.upper is None else _plain(m.upper), m.repetitions))
    return buf.getvalue()


def to_markdown(metrics, skipped):
    lines = []
    for direction in (SMALLER, BIGGER):
        chosen = [m for m in metrics if m.direction == direction]
        if not chosen:
            continue
        lines += ["### %s is better" % direction.capitalize(), "",
                  "| benchmark | measure | value | bounds | unit |", "|---|---|---|---|---|"]
        for m in chosen:
            bounds = "%s – %s (%s)" % (_plain(m.lower), _plain(m.upper), m.bounds) \
                if m.lower is not None else (m.bounds or "one repetition")
            lines.append("| `%s` | %s | %s | %s | %s |" % (m.benchmark, m.measure,
                                                          _plain(m.value), bounds, m.unit))
        lines.append("")
    if skipped:
        lines += ["### Rows with no figures", ""]
        lines += ["- `%s`: %s" % (s.benchmark, s.reason) for s in skipped]
        lines.append("")
    if not metrics:
        lines.append("The run has no row with figures.")
    return "\n".join(lines) + "\n"


# ---- command line --------------------------------------------------------------------------

class UsageError(Exception):
    pass


def parse_args(args):
    path, fmt_name, out, direction = None, None, None, None
    it = iter(args)
    for a in it:
        if a in ("--format", "--out", "--direction"):
            value = next(it, None)
            if value is None:
                raise UsageError("%s needs a value" % a)
            if a == "--format":
                fmt_name = value
            elif a == "--out":
                out = value
            else:
                direction = value
        elif a.startswith("--format="):
            fmt_name = a.split("=", 1)[1]
        elif a.startswith("--out="):
            out = a.split("=", 1)[1]
        elif a.startswith("--direction="):
            direction = a.split("=", 1)[1]
        elif a.startswith("-"):
            raise UsageError("unknown option %s" % a)
        elif path is None:
            path = a
        else:
            raise UsageError("one run at a time (got %s and %s)" % (path, a))
    if path is None:
        raise UsageError("which run? name a run directory or a gilbench.json")
    if fmt_name not in FORMATS:
        raise UsageError("--format must be one of %s" % ", ".join(FORMATS))
    if direction not in (None, SMALLER, BIGGER):
        raise UsageError("--direction must be smaller or bigger")
    if fmt_name == "github-action-benchmark" and out is None and direction is None:
        raise UsageError("github-action-benchmark writes one file per direction: give --out "
                         "PREFIX, or --direction smaller|bigger to print one")
    return path, fmt_name, out, direction


def _write(text, path):
    """Writes through a temporary file and a rename (never a half-written export); stdout when
    path is None."""
    if path is None:
        sys.stdout.write(text)
        return
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)


def _json_text(doc):
    return json.dumps(doc, indent=2, allow_nan=False) + "\n"


def main(argv):
    args = argv[1:]
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        print("\n" + USAGE)
        return EXIT_OK
    try:
        path, fmt_name, out, direction = parse_args(args)
        results = load(path)
    except UsageError as e:
        print("scripts/export: %s\n%s" % (e, USAGE), file=sys.stderr)
        return EXIT_BAD_INPUT
    except runs.LoadError as e:
        print("scripts/export: %s" % e, file=sys.stderr)
        return EXIT_BAD_INPUT
    metrics, skipped = collect(results)
    if direction is not None:
        metrics = [m for m in metrics if m.direction == direction]
    if fmt_name == "bencher":
        _write(_json_text(to_bencher(metrics)), out)
    elif fmt_name == "csv":
        _write(to_csv(metrics), out)
    elif fmt_name == "markdown":
        _write(to_markdown(metrics, skipped), out)
    elif out is None:
        _write(_json_text(to_github_action_benchmark(metrics, direction)), None)
    else:
        for d in ((direction,) if direction else (SMALLER, BIGGER)):
            target = "%s-%s.json" % (out, d)
            _write(_json_text(to_github_action_benchmark(metrics, d)), target)
            print("scripts/export: wrote %s (tool: custom%sIsBetter)" % (
                target, d.capitalize()), file=sys.stderr)
    if skipped:
        print("scripts/export: %d row%s without figures left out (failed or skipped)" % (
            len(skipped), "" if len(skipped) == 1 else "s"), file=sys.stderr)
    return EXIT_OK
