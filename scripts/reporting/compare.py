"""scripts/compare A B [--threshold 5%]: did B get slower than A, beyond noise?

A and B are gilbench.json files or run directories (their gilbench.json). Benchmarks are matched
by run name; the aggregate rows are ignored and medians computed from the iteration rows. For the
time and for every counter both sides have, the table gives the medians, the change B against A
and, where both sides have at least two repetitions, the p of a two-sided Mann–Whitney U test
(scipy.stats.mannwhitneyu): a rank test, because benchmark times are skewed by the odd slow
repetition and a t-test's normality does not hold.

Verdicts on the time: *same* within the threshold; beyond it, *slower* (a regression) or
*faster* (an improvement) when p < 0.05, else *noise*. Without repetitions to test, the
threshold alone decides, and the output says so. Exit status: 1 when any benchmark got slower (a
regression), 0 otherwise, 2 for bad usage or an input that cannot be read — never 1, so a broken
input is not mistaken for a regression.

The files may come from different machines or builds: the context keys that differ are listed
first (host, CPU, compiler, git revision, size, ...), because then a change may be the machine's.
"""

import math
import sys
from dataclasses import dataclass
from typing import Optional

from . import fmt, runs
from .doc import Heading, Para, Table, to_markdown

USAGE = "usage: scripts/compare A.json|RUN_DIR B.json|RUN_DIR [--threshold 5%]"
ALPHA = 0.05
DEFAULT_THRESHOLD = 0.05
# Context keys that change on every run and say nothing about comparability.
CONTEXT_IGNORED = frozenset(("date", "load_avg", "executable", "workload_dir"))
# Keys that differ when the machines differ (the rest: builds, knobs, sizes).
MACHINE_KEYS = ("host_name", "cpu_model", "num_cpus", "mhz_per_cpu", "caches",
                "topology_packages", "topology_cores", "topology_pus", "topology_numa_nodes",
                "topology_smt", "topology_max_pus_per_core", "allowed_cpuset")
# Per-sample ratios runs.py adds for reports; compare only what the file holds (and IPC).
DERIVED = frozenset(("handoffs_per_s", "futile_per_handoff"))


class UsageError(Exception):
    pass


def parse_threshold(text):
    """`5%`, `5` (both percent) or `0.5%` -> a fraction; UsageError when not a positive number."""
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        raise UsageError("--threshold: not a number: %r" % text) from None
    if not math.isfinite(value) or value <= 0:
        raise UsageError("--threshold must be above 0%%: %r" % text)
    return value / 100.0


def parse_args(argv):
    """(A, B, threshold fraction) from the command line; UsageError on anything else."""
    paths, threshold = [], DEFAULT_THRESHOLD
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--threshold":
            if not args:
                raise UsageError("--threshold needs a value")
            threshold = parse_threshold(args.pop(0))
        elif arg.startswith("--threshold="):
            threshold = parse_threshold(arg.split("=", 1)[1])
        elif arg.startswith("-") and arg != "-":
            raise UsageError("unknown option %s" % arg)
        else:
            paths.append(arg)
    if len(paths) != 2:
        raise UsageError("need two inputs, got %d" % len(paths))
    return paths[0], paths[1], threshold


def mann_whitney_p(a, b):
    """Two-sided Mann–Whitney U p, or None when scipy is missing. Identical samples give 1."""
    try:
        from scipy.stats import mannwhitneyu
    except ImportError:
        return None
    if len(set(a) | set(b)) == 1:
        return 1.0  # nothing to rank: scipy would warn and may return nan
    p = mannwhitneyu(a, b, alternative="two-sided").pvalue
    return 1.0 if math.isnan(p) else float(p)


def smallest_p(n1, n2):
    """The smallest two-sided p an exact U test can give with n1 and n2 samples (no ties):
    the two extreme orderings out of C(n1 + n2, n1). 3 against 3 can never reach 0.05."""
    return min(1.0, 2.0 / math.comb(n1 + n2, n1))


@dataclass
class Judgement:
    change: Optional[float]  # (B - A) / A of the medians
    p: Optional[float]  # Mann–Whitney p, None when not testable
    verdict: str  # same, slower, faster, noise
    threshold_only: bool  # decided without a test
    why_untested: str = ""  # "no repetitions", "too few repetitions (A 1, B 3)", "no scipy"

    @property
    def regression(self):
        return self.verdict == "slower"


def judge(a_values, b_values, threshold):
    """Compare two samples' medians: within the threshold, significant, noise, or untested."""
    a_median, b_median = _median(a_values), _median(b_values)
    change = (b_median - a_median) / a_median if a_median else None
    p, why = None, ""
    if len(a_values) >= 2 and len(b_values) >= 2:
        p = mann_whitney_p(a_values, b_values)
        why = "" if p is not None else "scipy not installed"
    elif len(a_values) == 1 and len(b_values) == 1:
        why = "no repetitions"
    else:
        why = "too few repetitions (A %d, B %d)" % (len(a_values), len(b_values))
    if change is None:
        beyond = b_median != a_median  # from zero: any change is beyond a relative threshold
    else:
        beyond = abs(change) > threshold
    direction = "slower" if b_median > a_median else "faster"
    if not beyond:
        return Judgement(change, p, "same", p is None, why)
    if p is None:
        return Judgement(change, p, direction, True, why)
    return Judgement(change, p, direction if p < ALPHA else "noise", False, why)


def _median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2.0


def verdict_text(j, threshold):
    if j.verdict == "same":
        return "same (within %s)" % fmt.percent(threshold)
    if j.verdict == "noise":
        return "noise (%s, but p ≥ %.2f)" % ("slower" if (j.change or 0) > 0 else "faster", ALPHA)
    text = "**slower** (regression)" if j.verdict == "slower" else "faster (improvement)"
    if j.threshold_only:
        text += "; %s: threshold only" % j.why_untested
    return text


def _p_text(p):
    if p is None:
        return fmt.DASH
    return "%.3f" % p if p >= 0.001 else "<0.001"


def _change_text(change, a, b):
    if change is None:
        return "new (0 → %s)" % fmt.num(b) if b else fmt.DASH
    return fmt.percent(change, signed=True)


# --- context ---------------------------------------------------------------------------------

def _context_value(key, value):
    if key == "caches" and isinstance(value, list):
        return ", ".join("L%s %s %s" % (c.get("level"), c.get("type"), fmt.size_bytes(c.get(
            "size", 0))) for c in value if isinstance(c, dict))
    return str(value)


def context_differences(a, b):
    """[(key, A value, B value)] of the context keys whose values differ (or exist on one side)."""
    keys = sorted((set(a) | set(b)) - CONTEXT_IGNORED,
                  key=lambda k: (k not in MACHINE_KEYS, k))
    out = []
    for key in keys:
        va = _context_value(key, a[key]) if key in a else None
        vb = _context_value(key, b[key]) if key in b else None
        if va != vb:
            out.append((key, va if va is not None else "(absent)",
                        vb if vb is not None else "(absent)"))
    return out


def _describe(f):
    ctx = f.context
    parts = [ctx.get("host_name"), ctx.get("cpu_model"),
             "git " + ctx["git_revision"] if ctx.get("git_revision") else None,
             "size " + ctx["size"] if ctx.get("size") else None, ctx.get("date")]
    reps = sorted({r.reps for r in f.runs.values() if r.ok})
    if reps:
        parts.append("%s repetition%s" % (reps[0] if len(reps) == 1 else "%d–%d" % (
            reps[0], reps[-1]), "" if reps == [1] else "s"))
    return "`%s` — %s" % (f.path, ", ".join(str(p) for p in parts if p))


def _context_blocks(a, b):
    diffs = context_differences(a.context, b.context)
    if not diffs:
        return [Para("Same context (machine, build, knobs) in A and B.")]
    machine = [k for k, _, _ in diffs if k in MACHINE_KEYS]
    out = []
    if machine:
        out.append(Para("**A and B come from different machines** (%s differ): a change may be "
                        "the machine's, not the code's." % ", ".join(machine)))
    out.append(Para("Context keys that differ: " + ", ".join(k for k, _, _ in diffs) + "."))
    out.append(Table(["key", "A", "B"], [list(d) for d in diffs], ["l", "l", "l"]))
    return out


# --- the comparison ---------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    a: runs.Run
    b: runs.Run
    time: Optional[Judgement]  # None when one side has no timing


def compare_runs(a, b, threshold):
    """Rows for the names both files have (A's order), and the names only one has."""
    rows = []
    for name, run_a in a.runs.items():
        run_b = b.runs.get(name)
        if run_b is None:
            continue
        time = None
        if run_a.ok and run_b.ok:
            time = judge(run_a.values(runs.TIME), run_b.values(runs.TIME), threshold)
            if time.p is None and (run_a.aggregate_only or run_b.aggregate_only):
                # --benchmark_report_aggregates_only: repetitions ran, but only their median
                # was written, so there is nothing to rank.
                time.why_untested = "aggregates only, no repetition rows"
        rows.append(Row(name, run_a, run_b, time))
    only_a = [n for n in a.runs if n not in b.runs]
    only_b = [n for n in b.runs if n not in a.runs]
    return rows, only_a, only_b


def _time_row(row, threshold):
    if row.time is None:
        side = "A" if not row.a.ok else "B"
        reason = row.a.reason if not row.a.ok else row.b.reason
        return [row.name, fmt.seconds(row.a.time_s), fmt.seconds(row.b.time_s), fmt.DASH,
                fmt.DASH, "no timing in %s: %s" % (side, reason)]
    j = row.time
    return [row.name, fmt.seconds(row.a.time_s), fmt.seconds(row.b.time_s),
            _change_text(j.change, row.a.time_s, row.b.time_s), _p_text(j.p),
            verdict_text(j, threshold)]


def counter_rows(rows, threshold):
    """[benchmark, counter, A, B, change, p] for counters whose median moved beyond threshold."""
    out = []
    for row in rows:
        if row.time is None:
            continue
        names_a = {k for s in row.a.samples for k in s}
        names_b = {k for s in row.b.samples for k in s}
        for counter in sorted((names_a & names_b) - DERIVED - {runs.TIME}):
            va, vb = row.a.values(counter), row.b.values(counter)
            j = judge(va, vb, threshold)
            if j.verdict == "same":
                continue
            ma, mb = row.a.median(counter), row.b.median(counter)
            out.append([row.name, counter, fmt.num(ma), fmt.num(mb), _change_text(j.change, ma, mb),
                        _p_text(j.p)])
    return out


def _sample_size_notes(rows):
    """Warn when the repetitions cannot give p < 0.05 whatever happened."""
    sizes = sorted({(r.a.reps, r.b.reps) for r in rows if r.time is not None and r.time.p
                    is not None})
    weak = [(n1, n2) for n1, n2 in sizes if smallest_p(n1, n2) >= ALPHA]
    return [Para("With %d and %d repetitions the smallest p the U test can give is %.3f, so no "
                 "change can be significant: run with --benchmark_repetitions=5 or more."
                 % (n1, n2, smallest_p(n1, n2))) for n1, n2 in weak]


def _summary(rows, threshold):
    judged = [r.time for r in rows if r.time is not None]
    counts = {v: sum(1 for j in judged if j.verdict == v) for v in ("slower", "faster", "noise",
                                                                   "same")}
    regressions = counts["slower"]
    if regressions:
        head = "**Result: regression** — %d benchmark%s slower beyond %s: %s" % (
            regressions, "" if regressions == 1 else "s", fmt.percent(threshold),
            _names([r.name for r in rows if r.time is not None and r.time.regression]))
    else:
        head = "**Result: no regression** beyond %s" % fmt.percent(threshold)
    detail = "%d compared: %d slower, %d faster, %d noise, %d same." % (
        len(judged), counts["slower"], counts["faster"], counts["noise"], counts["same"])
    untested = [j for j in judged if j.threshold_only and j.verdict != "same"]
    if untested:
        reasons = sorted({j.why_untested for j in untested})
        detail += " Judged on the threshold alone (%s): %d." % ("; ".join(reasons), len(untested))
    return [Para(head + ". " + detail)]


def build(a, b, threshold):
    """The comparison as doc blocks, and whether it found a regression."""
    rows, only_a, only_b = compare_runs(a, b, threshold)
    blocks = [Heading(1, "gilbench compare"),
              Para("A: " + _describe(a)), Para("B: " + _describe(b)),
              Para("Threshold ±%s on the median real time. A change beyond it counts when a "
                   "two-sided Mann–Whitney U test gives p < %.2f (both sides with at least two "
                   "repetitions); with no repetitions to test, the threshold alone decides."
                   % (fmt.percent(threshold), ALPHA))]
    blocks += _summary(rows, threshold)
    blocks += [Heading(2, "Context")] + _context_blocks(a, b)
    blocks += [Heading(2, "Times (median real time)")]
    # Runs skipped on both sides (a placement neither machine has) are listed, not tabulated.
    both_skipped = [r for r in rows if not r.a.ok and not r.b.ok]
    shown = [r for r in rows if r.a.ok or r.b.ok]
    if shown:
        blocks.append(Table(["benchmark", "time A", "time B", "change", "p", "verdict"],
                            [_time_row(r, threshold) for r in shown],
                            ["l", "r", "r", "r", "r", "l"]))
        blocks += _sample_size_notes(shown)
    else:
        blocks.append(Para("No benchmark with a timing is in both files."))
    if both_skipped:
        blocks.append(Para("Skipped or failed in both A and B: %s." % "; ".join(
            "`%s` (%s)" % (r.name, r.b.reason) for r in both_skipped)))
    blocks += [Heading(2, "Counters that changed more than %s" % fmt.percent(threshold))]
    changed = counter_rows(rows, threshold)
    blocks.append(Table(["benchmark", "counter", "A", "B", "change", "p"], changed,
                        ["l", "l", "r", "r", "r", "r"]) if changed else
                  Para("None: every counter both sides have stayed within %s."
                       % fmt.percent(threshold)))
    blocks += [Heading(2, "Only in one file")]
    blocks.append(Para("Only in A: %s." % _names(only_a)))
    blocks.append(Para("Only in B: %s." % _names(only_b)))
    regression = any(r.time is not None and r.time.regression for r in rows)
    return blocks, regression


def _names(names):
    return ", ".join("`%s`" % n for n in names) if names else "none"


def main(argv):
    args = argv[1:]
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        print("\n" + USAGE)
        return 0
    try:
        path_a, path_b, threshold = parse_args(args)
    except UsageError as e:
        print("scripts/compare: %s\n%s" % (e, USAGE), file=sys.stderr)
        return 2
    try:
        a = runs.load(runs.results_file(path_a))
        b = runs.load(runs.results_file(path_b))
    except runs.LoadError as e:
        print("scripts/compare: %s" % e, file=sys.stderr)
        return 2
    blocks, regression = build(a, b, threshold)
    sys.stdout.write(to_markdown(blocks))
    return 1 if regression else 0
