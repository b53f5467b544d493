"""scripts/compare: did a build get slower than another, beyond what the machine's noise explains?

Two modes.

  scripts/compare A.json|RUN_DIR B.json|RUN_DIR [--threshold 5%]
      Two finished runs (gilbench.json files or run directories), measured at different times.
      Benchmarks are matched by run name; medians come from the iteration rows (aggregates are
      only used when a file has nothing else). The time verdict of a row needs its repetitions to
      be steady: a row whose coefficient of variation (CV: stddev / mean over its repetitions) is
      above the threshold on either side is *unstable: not judged*, because a machine whose speed
      swings within one run can also swing between two runs, and no test on unpaired samples tells
      that swing from a change in the code. Steady rows get a two-sided Mann–Whitney U test (a
      rank test: times are skewed by the odd slow repetition): *same* within the threshold;
      beyond it *slower* (a regression) or *faster* when p < 0.05, else *noise*. A row with one
      repetition (or aggregates only) has no noise to weigh a change against: beyond the
      threshold it is *not judged*.
      The runs' machine state is compared too: gilbench's context (load_avg, mhz_per_cpu,
      cpu_scaling_enabled) and, where a run directory holds one, scripts/reproduce's
      machine_state.json (every key that differs is listed). A 1-minute load average that
      differs by more than 0.5, or a different governor, frequency or scaling setting, is a
      *different state*: the output says so, and that a change may be the machine's.

  scripts/compare --ab BASELINE_BUILD CANDIDATE_BUILD [--rounds N] [--threshold 5%]
                  [-- GILBENCH_FLAGS...]
      The paired mode, for CI. BASELINE_BUILD and CANDIDATE_BUILD are CMake build directories
      (build/release) holding bin/gilbench. Both builds' gilbench run on this machine, once each
      per round for N rounds (default 20), alternating which goes first (A B, B A, A B, ...: in
      each pair of rounds the order is ABBA, so a linear drift of the machine's speed cancels).
      A round's time of a row is its median real time in that invocation; the row's figure is
      the paired ratio candidate / baseline of each round, whose geometric mean and 95% confidence
      interval come from reporting/stats.py (the project's one rule for paired ratios). Drift
      between rounds cancels inside a ratio, which is what the unpaired mode cannot do. Verdicts:
      *slower* (a regression) when the whole interval lies above 1 + threshold, *faster* when it
      lies below 1 / (1 + threshold); otherwise *no change* when the interval is at most 2 ×
      threshold wide, and *unstable: not judged* when it is wider (it cannot exclude a change of
      the threshold's size: more rounds narrow it). Everything after
      `--` goes to gilbench (default: --size=full --benchmark_min_time=0.1
      --workloads=countdown --policies=py3 --modes=seq,threads --threads=2 --placements=os:
      rows of about 0.1 s, twenty rounds in about 20 s); --benchmark_out is always ours.
      --keep DIR keeps every round's gilbench JSON in DIR (baseline-N.json, candidate-N.json:
      the raw data behind the verdict, for a CI artifact); without it they are discarded. Progress
      and the time left go to stderr; the machine's state before and after is printed. An even
      number of rounds balances who goes first. To check that the gate catches a real slowdown,
      build the interpreter with a known one (CMake option GILVM_TEST_SLOWDOWN, preset `slow`:
      scripts/compare --ab build/release build/slow should say slower).

Both print Markdown on stdout. Exit status, both modes:
  0  no regression, every row judged
  1  regression: some row slower beyond the threshold (it outranks unstable rows)
  2  bad input: usage, an unreadable or non-gilbench file, a value that cannot be used (a time
     that is NaN, Infinity, null or a string, an entry of `benchmarks` that is not an object:
     runs.py decides), a gilbench that failed or wrote nothing, or nothing to compare (no
     benchmark with a timing on both sides)
  3  inconclusive: no regression found, but some row was unstable or could not be judged
2 is never 1, so a broken input or build is not mistaken for a regression, and never 0: no
regression is claimed where nothing was compared.

The files may come from different machines or builds: the context keys that differ are listed
(host, CPU, compiler, git revision, size, ...), because then a change may be the machine's.
"""

import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import List, Optional

from . import fmt, machine_state, runs, stats
from .doc import Heading, Para, Table, to_markdown

USAGE = """usage: scripts/compare A.json|RUN_DIR B.json|RUN_DIR [--threshold 5%]
       scripts/compare --ab BASELINE_BUILD CANDIDATE_BUILD [--rounds 20] [--threshold 5%] \
[--keep DIR] [-- GILBENCH_FLAGS...]"""
ALPHA = 0.05
DEFAULT_THRESHOLD = stats.NOISE_FLOOR
DEFAULT_ROUNDS = 20
# The paired mode's default rows: the classic pair, countdown(20,000,000) repeated for 0.1 s a
# row (quick rows of 10 ms time thread start-up, not the interpreter). Short rows and many rounds
# rather than long rows and few: what spoils a pair is the machine changing speed between its two
# halves, so the halves should be close in time (measured: 10 rounds of 0.3 s rows left 4 of 20
# same-build comparisons unstable on this project's VM). About 20 s for twenty rounds.
DEFAULT_GILBENCH_FLAGS = ("--size=full", "--benchmark_min_time=0.1", "--workloads=countdown",
                          "--policies=py3", "--modes=seq,threads", "--threads=2",
                          "--placements=os")
# Flags the paired mode sets itself on every gilbench invocation.
OWN_GILBENCH_FLAGS = ("--benchmark_out", "--benchmark_out_format")

EXIT_OK, EXIT_REGRESSION, EXIT_BAD_INPUT, EXIT_INCONCLUSIVE = 0, 1, 2, 3

# Verdicts. The unpaired mode uses same/noise, the paired mode no change; the rest are shared.
SLOWER, FASTER, SAME, NOISE, NO_CHANGE = "slower", "faster", "same", "noise", "no change"
UNSTABLE, UNTESTED = "unstable", "not judged"
UNJUDGED = (UNSTABLE, UNTESTED)

# Context keys that change on every run and say nothing about comparability.
CONTEXT_IGNORED = frozenset(("date", "executable", "workload_dir"))
# Context keys that say what state the machine was in, not which machine it was: compared in
# the machine-state section, not among the context keys.
STATE_CONTEXT_KEYS = ("load_avg", "mhz_per_cpu", "cpu_scaling_enabled")
# State keys (context or machine_state.json) whose difference alone makes a different state:
# each changes the clock the code ran at.
CLOCK_STATE_KEYS = ("governor", "mhz_per_cpu", "cpu_scaling_enabled", "turbo")
LOAD_DIFFERENCE = 0.5  # 1-minute load averages further apart than this: a different state
# Keys that differ when the machines differ (the rest: builds, knobs, sizes).
MACHINE_KEYS = ("host_name", "cpu_model", "num_cpus", "caches", "topology_packages",
                "topology_cores", "topology_pus", "topology_numa_nodes", "topology_smt",
                "topology_max_pus_per_core", "allowed_cpuset")
# Per-sample ratios runs.py adds for reports; compare only what the file holds (and IPC).
DERIVED = frozenset(("handoffs_per_s", "futile_per_handoff"))


class UsageError(Exception):
    pass


class AbError(Exception):
    """A gilbench invocation of the paired mode that failed or wrote no results."""


class NothingToCompare(Exception):
    """Two inputs that load but share no benchmark with a timing on both sides."""


# --- the command line ------------------------------------------------------------------------

def parse_threshold(text):
    """`5%`, `5` (both percent) or `0.5%` -> a fraction; UsageError when not a positive number."""
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        raise UsageError("--threshold: not a number: %r" % text) from None
    if not math.isfinite(value) or value <= 0:
        raise UsageError("--threshold must be above 0%%: %r" % text)
    return value / 100.0


def parse_rounds(text):
    """A round count of at least stats.MIN_ROUNDS (fewer ratios give no interval)."""
    try:
        value = int(text)
    except ValueError:
        raise UsageError("--rounds: not a whole number: %r" % text) from None
    if value < stats.MIN_ROUNDS:
        raise UsageError("--rounds must be at least %d: %r" % (stats.MIN_ROUNDS, text))
    return value


@dataclass
class Args:
    paths: List[str]  # two result files / run dirs, or (--ab) two build dirs
    threshold: float = DEFAULT_THRESHOLD
    ab: bool = False
    rounds: int = DEFAULT_ROUNDS
    gilbench_flags: List[str] = field(default_factory=lambda: list(DEFAULT_GILBENCH_FLAGS))
    keep: Optional[str] = None  # --ab: the folder that keeps every round's gilbench JSON


def _option(arg, args, name):
    """The value of option `name` given as `name=V` in arg, or as `name V` (V popped from args)."""
    if arg != name:
        return arg.split("=", 1)[1]
    if not args:
        raise UsageError("%s needs a value" % name)
    return args.pop(0)


def parse_args(argv):
    """Args from the command line (without the program name); UsageError on anything else."""
    out = Args(paths=[])
    args = list(argv)
    rounds_given = flags_given = False
    while args:
        arg = args.pop(0)
        if arg == "--":
            out.gilbench_flags, args, flags_given = args, [], True
        elif arg == "--ab":
            out.ab = True
        elif arg.split("=", 1)[0] == "--threshold":
            out.threshold = parse_threshold(_option(arg, args, "--threshold"))
        elif arg.split("=", 1)[0] == "--rounds":
            out.rounds, rounds_given = parse_rounds(_option(arg, args, "--rounds")), True
        elif arg.split("=", 1)[0] == "--keep":
            out.keep = _option(arg, args, "--keep")
        elif arg.startswith("-") and arg != "-":
            raise UsageError("unknown option %s" % arg)
        else:
            out.paths.append(arg)
    if len(out.paths) != 2:
        raise UsageError("need two %s, got %d" % ("build directories" if out.ab else "inputs",
                                                  len(out.paths)))
    if not out.ab and (rounds_given or flags_given or out.keep is not None):
        raise UsageError("--rounds, --keep and gilbench flags after -- go with --ab")
    for flag in out.gilbench_flags:
        if flag.split("=", 1)[0] in OWN_GILBENCH_FLAGS:
            raise UsageError("%s: compare --ab writes gilbench's output itself" % flag)
    return out


# --- verdicts and the exit status, both modes --------------------------------------------------

def exit_status(verdicts):
    """1 for any regression (it outranks the rest), else 3 for any row not judged, else 0."""
    verdicts = list(verdicts)
    if SLOWER in verdicts:
        return EXIT_REGRESSION
    if any(v in UNJUDGED for v in verdicts):
        return EXIT_INCONCLUSIVE
    return EXIT_OK


def verdict_text(verdict, threshold, why="", change=None):
    """A verdict as the tables print it; `why` says what an unjudged row lacked."""
    if verdict == SAME:
        return "same (within %s)" % fmt.percent(threshold)
    if verdict == NOISE:
        return "noise (%s, but p ≥ %.2f)" % ("slower" if (change or 0) > 0 else "faster", ALPHA)
    if verdict == UNSTABLE:
        return "unstable: not judged (%s)" % why
    if verdict == UNTESTED:
        return "not judged: %s" % why
    return {SLOWER: "**slower** (regression)", FASTER: "faster (improvement)",
            NO_CHANGE: "no change"}[verdict]


def summary(named_verdicts, threshold, kinds):
    """The result paragraph: regression, inconclusive or none, and the count of each verdict
    of `kinds` (the mode's verdicts, in order). named_verdicts: [(row name, verdict)]."""
    def names_of(*wanted):
        return [n for n, v in named_verdicts if v in wanted]
    slower, unjudged = names_of(SLOWER), names_of(*UNJUDGED)
    status = exit_status(v for _, v in named_verdicts)
    if status == EXIT_REGRESSION:
        head = "**Result: regression** — %d benchmark%s slower beyond %s: %s" % (
            len(slower), "" if len(slower) == 1 else "s", fmt.percent(threshold), _names(slower))
    elif status == EXIT_INCONCLUSIVE:
        head = ("**Result: inconclusive** — no regression beyond %s, but %d benchmark%s not "
                "judged: %s" % (fmt.percent(threshold), len(unjudged),
                                "" if len(unjudged) == 1 else "s", _names(unjudged)))
    else:
        head = "**Result: no regression** beyond %s" % fmt.percent(threshold)
    counts = ", ".join("%d %s" % (len(names_of(kind)), kind) for kind in kinds)
    return Para("%s. %d compared: %s." % (head, len(named_verdicts), counts))


# --- the unpaired mode ------------------------------------------------------------------------

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
    p: Optional[float]  # Mann–Whitney p, None when not tested
    verdict: str  # SAME, SLOWER, FASTER, NOISE, UNSTABLE or UNTESTED
    why: str = ""  # what an UNSTABLE or UNTESTED row lacked

    @property
    def regression(self):
        return self.verdict == SLOWER


def judge(a_values, b_values, threshold, cvs=()):
    """Compare two samples' medians. `cvs`: the sides' coefficients of variation (None where
    unknown); one above the threshold makes the row UNSTABLE before any test, because spread
    that large within a run says the machine drifted, and drift between the runs would look
    exactly like a change. Without two repetitions a side a change beyond the threshold is
    UNTESTED: there is no noise to weigh it against."""
    a_median, b_median = statistics.median(a_values), statistics.median(b_values)
    change = (b_median - a_median) / a_median if a_median else None
    noisy = [cv for cv in cvs if cv is not None and cv > threshold]
    if noisy:
        return Judgement(change, None, UNSTABLE, "CV %s > %s" % (
            fmt.percent(max(noisy)), fmt.percent(threshold)))
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
    if not beyond:
        return Judgement(change, p, SAME)
    if p is None:
        return Judgement(change, p, UNTESTED, why)
    direction = SLOWER if b_median > a_median else FASTER
    return Judgement(change, p, direction if p < ALPHA else NOISE)


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
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _differences(a, b, keys):
    """[(key, A value, B value)] of `keys` whose values differ (or exist on one side only)."""
    out = []
    for key in keys:
        va = _context_value(key, a[key]) if key in a else None
        vb = _context_value(key, b[key]) if key in b else None
        if va != vb:
            out.append((key, va if va is not None else "(absent)",
                        vb if vb is not None else "(absent)"))
    return out


def context_differences(a, b):
    """[(key, A value, B value)] of the context keys that differ, machine keys first (the
    machine-state keys are compared apart, by state_differences)."""
    keys = sorted((set(a) | set(b)) - CONTEXT_IGNORED - set(STATE_CONTEXT_KEYS),
                  key=lambda k: (k not in MACHINE_KEYS, k))
    return _differences(a, b, keys)


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


def _context_blocks(a, b, labels=("A", "B")):
    diffs = context_differences(a.context, b.context)
    if not diffs:
        return [Para("Same context (machine, build, knobs) in %s and %s." % labels)]
    machine = [k for k, _, _ in diffs if k in MACHINE_KEYS]
    out = []
    if machine:
        out.append(Para("**%s and %s come from different machines** (%s differ): a change may "
                        "be the machine's, not the code's." % (labels + (", ".join(machine),))))
    out.append(Para("Context keys that differ: " + ", ".join(k for k, _, _ in diffs) + "."))
    out.append(Table(["key", labels[0], labels[1]], [list(d) for d in diffs], ["l", "l", "l"]))
    return out


# --- machine state (unpaired mode) --------------------------------------------------------------

def _load_1m(context, state):
    """The 1-minute load averages a run recorded: context load_avg[0] and machine_state's."""
    out = {}
    load = context.get("load_avg")
    if isinstance(load, list) and load and isinstance(load[0], (int, float)):
        out["load_avg"] = float(load[0])
    if state and isinstance(state.get("load_avg_1m"), (int, float)):
        out["load_avg_1m"] = float(state["load_avg_1m"])
    return out


def state_differences(context_a, context_b, state_a=None, state_b=None):
    """([(key, A, B)] of the state keys that differ, [reasons the states count as different]).

    Keys: STATE_CONTEXT_KEYS of gilbench's context, then every key of machine_state.json where
    both runs have one (prefixed `machine_state.`), whatever keys it holds. Reasons: a 1-minute
    load average more than LOAD_DIFFERENCE apart (from either source), or any CLOCK_STATE_KEYS
    difference; other differences (busy processes, build age) are listed for the reader only.
    """
    rows = _differences(context_a, context_b, STATE_CONTEXT_KEYS)
    if state_a is not None and state_b is not None:
        rows += [("machine_state." + k, va, vb) for k, va, vb in
                 _differences(state_a, state_b, sorted(set(state_a) | set(state_b)))]
    reasons = []
    load_a, load_b = _load_1m(context_a, state_a), _load_1m(context_b, state_b)
    for key in sorted(set(load_a) & set(load_b)):
        if abs(load_a[key] - load_b[key]) > LOAD_DIFFERENCE:
            reasons.append("1-minute load %.2f against %.2f (%s)" % (load_a[key], load_b[key],
                                                                     key))
    for key, va, vb in rows:
        if key.split(".")[-1] in CLOCK_STATE_KEYS:
            reasons.append("%s %s against %s" % (key, va, vb))
    return rows, reasons


def _state_blocks(a, b, state_a, state_b):
    rows, reasons = state_differences(a.context, b.context, state_a, state_b)
    out = []
    if reasons:
        out.append(Para("**A and B were measured in different machine states** (%s): an unpaired "
                        "comparison cannot tell that from a change in the code; `scripts/compare "
                        "--ab` measures both builds in the same rounds." % "; ".join(reasons)))
    else:
        out.append(Para("Same machine state as far as the runs recorded it (1-minute load within "
                        "%g, same governor and clock settings)." % LOAD_DIFFERENCE))
    if (state_a is None) != (state_b is None):
        out.append(Para("Only %s has a %s: its keys are not compared."
                        % ("A" if state_a is not None else "B", machine_state.STATE_JSON)))
    if rows:
        out.append(Table(["state key", "A", "B"], [list(r) for r in rows], ["l", "l", "l"]))
    return out


# --- the unpaired comparison ---------------------------------------------------------------------

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
        time_j = None
        if run_a.ok and run_b.ok:
            time_j = judge(run_a.values(runs.TIME), run_b.values(runs.TIME), threshold,
                           (run_a.cv(), run_b.cv()))
            if time_j.verdict == UNTESTED and (run_a.aggregate_only or run_b.aggregate_only):
                # --benchmark_report_aggregates_only: repetitions ran, but only their median
                # was written, so there is nothing to rank.
                time_j.why = "aggregates only, no repetition rows"
        rows.append(Row(name, run_a, run_b, time_j))
    only_a = [n for n in a.runs if n not in b.runs]
    only_b = [n for n in b.runs if n not in a.runs]
    return rows, only_a, only_b


def _cv_text(run):
    return fmt.percent(run.cv()) if run.ok and run.cv() is not None else fmt.DASH


def _time_row(row, threshold):
    cvs = [_cv_text(row.a), _cv_text(row.b)]
    if row.time is None:
        side = "A" if not row.a.ok else "B"
        reason = row.a.reason if not row.a.ok else row.b.reason
        return [row.name, fmt.seconds(row.a.time_s), fmt.seconds(row.b.time_s), *cvs, fmt.DASH,
                fmt.DASH, "no timing in %s: %s" % (side, reason)]
    j = row.time
    return [row.name, fmt.seconds(row.a.time_s), fmt.seconds(row.b.time_s), *cvs,
            _change_text(j.change, row.a.time_s, row.b.time_s), _p_text(j.p),
            verdict_text(j.verdict, threshold, j.why, j.change)]


def counter_rows(rows, threshold):
    """[benchmark, counter, A, B, change, p] for counters whose median moved beyond threshold
    (for the reader: counters never decide the exit status, so their spread is not gated)."""
    out = []
    for row in rows:
        if row.time is None:
            continue
        names_a = {k for s in row.a.samples for k in s}
        names_b = {k for s in row.b.samples for k in s}
        for counter in sorted((names_a & names_b) - DERIVED - {runs.TIME}):
            va, vb = row.a.values(counter), row.b.values(counter)
            j = judge(va, vb, threshold)
            if j.verdict == SAME:
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


def build(a, b, threshold, state_a=None, state_b=None):
    """The unpaired comparison as doc blocks, and its exit status; NothingToCompare when no
    benchmark has a timing in both."""
    rows, only_a, only_b = compare_runs(a, b, threshold)
    if not rows:
        raise NothingToCompare("%s and %s share no benchmark (A has %d, B %d): nothing to compare"
                               % (a.path, b.path, len(a.runs), len(b.runs)))
    if all(r.time is None for r in rows):
        raise NothingToCompare("no benchmark has a timing in both %s and %s (of the %d they "
                               "share, each failed or was skipped on at least one side)"
                               % (a.path, b.path, len(rows)))
    judged = [(r.name, r.time.verdict) for r in rows if r.time is not None]
    blocks = [Heading(1, "gilbench compare"),
              Para("A: " + _describe(a)), Para("B: " + _describe(b)),
              Para("Threshold ±%s on the median real time. A row whose repetitions vary by more "
                   "than the threshold (CV, either side) is not judged; otherwise a change beyond "
                   "the threshold counts when a two-sided Mann–Whitney U test gives p < %.2f. Runs "
                   "made at different times cannot tell the machine's drift from the code's "
                   "change: for a verdict on two builds, use `scripts/compare --ab`."
                   % (fmt.percent(threshold), ALPHA)),
              summary(judged, threshold, (SLOWER, FASTER, NOISE, SAME, UNSTABLE, UNTESTED))]
    blocks += [Heading(2, "Machine state")] + _state_blocks(a, b, state_a, state_b)
    blocks += [Heading(2, "Context")] + _context_blocks(a, b)
    blocks += [Heading(2, "Times (median real time)")]
    # Runs skipped on both sides (a placement neither machine has) are listed, not tabulated.
    both_skipped = [r for r in rows if not r.a.ok and not r.b.ok]
    shown = [r for r in rows if r.a.ok or r.b.ok]  # never empty: some row has both timings
    blocks.append(Table(["benchmark", "time A", "time B", "CV A", "CV B", "change", "p",
                         "verdict"], [_time_row(r, threshold) for r in shown],
                        ["l", "r", "r", "r", "r", "r", "r", "l"]))
    blocks += _sample_size_notes(shown)
    if both_skipped:
        blocks.append(Para("Skipped or failed in both A and B: %s." % "; ".join(
            "`%s` (%s)" % (r.name, r.b.reason) for r in both_skipped)))
    blocks += [Heading(2, "Counters that changed more than %s" % fmt.percent(threshold))]
    changed = counter_rows(rows, threshold)
    blocks.append(Table(["benchmark", "counter", "A", "B", "change", "p"], changed,
                        ["l", "l", "r", "r", "r", "r"]) if changed else
                  Para("None: every counter both sides have stayed within %s."
                       % fmt.percent(threshold)))
    blocks += _only_in_one(only_a, only_b, ("A", "B"))
    return blocks, exit_status(v for _, v in judged)


def _only_in_one(only_a, only_b, labels):
    return [Heading(2, "Only in one"), Para("Only in %s: %s." % (labels[0], _names(only_a))),
            Para("Only in %s: %s." % (labels[1], _names(only_b)))]


def _names(names):
    return ", ".join("`%s`" % n for n in names) if names else "none"


# --- the paired mode (--ab) -------------------------------------------------------------------

def gilbench_of(build_dir):
    """build_dir/bin/gilbench as an absolute path (gilbench runs in a temp directory);
    UsageError when it is not there."""
    path = os.path.abspath(os.path.join(build_dir, "bin", "gilbench"))
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise UsageError("%s: no bin/gilbench in this build directory (scripts/build release?)"
                         % build_dir)
    return path


def round_order(index):
    """Which build goes first in round `index` (0-based): baseline in even rounds, candidate in
    odd ones, so each pair of rounds runs A B B A and a linear drift cancels."""
    return ("baseline", "candidate") if index % 2 == 0 else ("candidate", "baseline")


def run_gilbench(binary, flags, out_path):
    """One gilbench invocation writing JSON to out_path; its RunFile. AbError when gilbench
    fails or writes nothing readable (the output is kept for the message)."""
    command = [binary, *flags, "--benchmark_out=" + out_path, "--benchmark_out_format=json"]
    try:
        result = subprocess.run(command, capture_output=True, text=True,
                                cwd=os.path.dirname(out_path))
    except OSError as e:
        raise AbError("%s: cannot run: %s" % (binary, e)) from None
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-10:])
        raise AbError("%s exited with status %d:\n%s\n(command: %s)" % (
            binary, result.returncode, tail, " ".join(command)))
    try:
        return runs.load_whole(out_path)
    except runs.LoadError as e:
        raise AbError("%s exited 0 but wrote no usable results: %s" % (binary, e)) from None


@dataclass
class PairedRow:
    name: str
    baseline: List[Optional[float]]  # the row's median real time in each round (None: failed)
    candidate: List[Optional[float]]
    reason: str = ""  # why a side has no timing in some round
    estimate: Optional[stats.Estimate] = None
    verdict: str = UNTESTED
    why: str = ""

    def ratios(self):
        return [c / b for b, c in zip(self.baseline, self.candidate) if b and c]


def paired_verdict(estimate, threshold):
    """(verdict, why) of a row's paired-ratio Estimate (None: no ratio at all).

    A direction is stats' rule: SLOWER when the whole interval lies above 1 + threshold, FASTER
    when wholly below 1 / (1 + threshold), whatever its width (a 50% slowdown measured noisily
    is still a regression). "No change", though, is a claim too: it needs an interval narrow
    enough to exclude a change of the threshold's size, so an inconclusive interval wider than
    2 × threshold is UNSTABLE (more rounds, or longer rows, narrow it). Fewer than
    stats.MIN_ROUNDS ratios, or no scipy, give no interval: UNTESTED."""
    if estimate is None or not estimate.has_interval:
        rounds = estimate.rounds if estimate is not None else 0
        why = ("%d round%s with a timing on both sides" % (rounds, "" if rounds == 1 else "s")
               if rounds < stats.MIN_ROUNDS else "no interval (scipy not installed)")
        return UNTESTED, why
    outcome = estimate.outcome(floor=threshold)
    if outcome == stats.SLOWER:
        return SLOWER, ""
    if outcome == stats.FASTER:
        return FASTER, ""
    width = estimate.high - estimate.low
    if width > 2 * threshold:
        return UNSTABLE, "interval %s wide > %s" % (fmt.percent(width),
                                                    fmt.percent(2 * threshold))
    return NO_CHANGE, ""


def paired_rows(baseline_files, candidate_files, threshold):
    """PairedRows (baseline's order) from the RunFiles of each round, and the names only one
    build ran."""
    names_b = list(dict.fromkeys(n for f in baseline_files for n in f.runs))
    names_c = list(dict.fromkeys(n for f in candidate_files for n in f.runs))
    rows = []
    for name in (n for n in names_b if n in names_c):
        row = PairedRow(name, [], [])
        for side, files in ((row.baseline, baseline_files), (row.candidate, candidate_files)):
            for f in files:
                run = f.runs.get(name)
                side.append(run.time_s if run is not None and run.ok else None)
                if run is not None and not run.ok and not row.reason:
                    row.reason = run.reason
        row.estimate = stats.estimate(row.ratios())
        row.verdict, row.why = paired_verdict(row.estimate, threshold)
        rows.append(row)
    return rows, [n for n in names_b if n not in names_c], [n for n in names_c if n not in names_b]


def _median_or_none(values):
    values = [v for v in values if v]
    return statistics.median(values) if values else None


def _paired_table_row(row, threshold):
    est = row.estimate
    if est is None:
        ratio = fmt.DASH
    elif est.has_interval:
        ratio = "%.3f [%.3f–%.3f]" % (est.ratio, est.low, est.high)
    else:
        ratio = "%.3f" % est.ratio
    cv = fmt.percent(est.cv) if est is not None and est.cv is not None else fmt.DASH
    why = row.why + ("; failed in some round: %s" % row.reason if row.reason else "")
    return [row.name, fmt.seconds(_median_or_none(row.baseline)),
            fmt.seconds(_median_or_none(row.candidate)), ratio, cv,
            verdict_text(row.verdict, threshold, why)]


def _load_text(state):
    loads = [state.get(k) for k in ("load_avg_1m", "load_avg_5m", "load_avg_15m")]
    return ", ".join("?" if v is None else "%.2f" % v for v in loads)


def _progress(done, total, started, log):
    """`round 3/10 done; about 12 s left` from the mean time of the rounds so far."""
    elapsed = time.monotonic() - started
    left = elapsed / done * (total - done)
    log("compare --ab: round %d/%d done (%s so far); about %s left"
        % (done, total, fmt.seconds(elapsed), fmt.seconds(left)))


def _rounds_folder(keep):
    """Where the rounds' JSON goes: `keep` (made if missing, for a CI job's artifact), else a
    temporary folder removed afterwards."""
    if keep is None:
        return tempfile.TemporaryDirectory(prefix="compare-ab-")
    try:
        os.makedirs(keep, exist_ok=True)
    except OSError as e:
        raise UsageError("--keep %s: %s" % (keep, e.strerror)) from None
    return contextlib.nullcontext(keep)


def measure_ab(binaries, flags, rounds, log, keep=None):
    """Run the two builds alternately; {"baseline": [RunFile per round], "candidate": [...]}.
    With `keep`, each round's gilbench JSON stays there as baseline-N.json / candidate-N.json."""
    files = {"baseline": [], "candidate": []}
    started = time.monotonic()
    with _rounds_folder(keep) as tmp:
        for index in range(rounds):
            for side in round_order(index):
                out = os.path.join(tmp, "%s-%d.json" % (side, index))
                try:
                    files[side].append(run_gilbench(binaries[side], flags, out))
                except AbError as e:
                    raise AbError("%s build, round %d: %s" % (side, index + 1, e)) from None
            _progress(index + 1, rounds, started, log)
    return files


def build_ab(args, log):
    """Measure and compare in rounds: doc blocks and the exit status. UsageError, AbError."""
    binaries = {"baseline": gilbench_of(args.paths[0]), "candidate": gilbench_of(args.paths[1])}
    log("compare --ab: %d rounds of %s and %s with %s" % (
        args.rounds, binaries["baseline"], binaries["candidate"], " ".join(args.gilbench_flags)))
    before = machine_state.probe(binaries.values(), sample_s=1.0)
    files = measure_ab(binaries, args.gilbench_flags, args.rounds, log, args.keep)
    after = machine_state.probe(binaries.values(), sample_s=1.0)
    rows, only_b, only_c = paired_rows(files["baseline"], files["candidate"], args.threshold)
    if not any(r.ratios() for r in rows):
        raise NothingToCompare("no benchmark has a timing in both builds in any round (%d ran "
                               "in both)" % len(rows))
    t = fmt.percent(args.threshold)
    blocks = [Heading(1, "gilbench compare --ab"),
              Para("Baseline: `%s`; candidate: `%s`; gilbench flags `%s`." % (
                  binaries["baseline"], binaries["candidate"], " ".join(args.gilbench_flags))),
              Para("%d rounds on this machine, each running both builds once, alternating which "
                   "goes first (ABBA), so a linear drift of the machine's speed cancels. Per row "
                   "and round, the ratio candidate / baseline of the median real time; the row's "
                   "figure is their geometric mean with a 95%% confidence interval. *slower* (a "
                   "regression): the whole interval above %s; *faster*: wholly below %s; "
                   "otherwise *no change* when the interval is at most %s wide, and "
                   "*unstable* when it is wider (too wide to exclude a change of ±%s)."
                   % (args.rounds, "%.3f" % (1 + args.threshold),
                      "%.3f" % (1 / (1 + args.threshold)), fmt.percent(2 * args.threshold), t)),
              summary([(r.name, r.verdict) for r in rows], args.threshold,
                      (SLOWER, FASTER, NO_CHANGE, UNSTABLE, UNTESTED))]
    blocks += [Heading(2, "Machine state"),
               Para("Load average (1, 5, 15 min) before: %s; after: %s." % (
                   _load_text(before), _load_text(after))),
               Para("Before: %s. After: %s." % (machine_state.describe(before),
                                               machine_state.describe(after)))]
    warnings = machine_state.warnings(before)
    if warnings:
        blocks.append(Para("Weigh the numbers with: " + "; ".join(warnings) + "."))
    blocks += [Heading(2, "Builds")] + _context_blocks(
        files["baseline"][0], files["candidate"][0], ("baseline", "candidate"))
    blocks += [Heading(2, "Paired ratios (candidate / baseline, real time)")]
    blocks.append(Table(["benchmark", "baseline median", "candidate median",
                         "paired ratio [95% interval]", "CV of ratios", "verdict"],
                        [_paired_table_row(r, args.threshold) for r in rows],
                        ["l", "r", "r", "r", "r", "l"]))
    blocks += _only_in_one(only_b, only_c, ("baseline", "candidate"))
    return blocks, exit_status(r.verdict for r in rows)


# --- main -------------------------------------------------------------------------------------

def _log(message):
    print(message, file=sys.stderr, flush=True)


def main(argv):
    args = argv[1:]
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        print("\n" + USAGE)
        return EXIT_OK
    try:
        parsed = parse_args(args)
        if parsed.ab:
            blocks, status = build_ab(parsed, _log)
        else:
            path_a, path_b = parsed.paths
            a = runs.load_whole(runs.results_file(path_a))
            b = runs.load_whole(runs.results_file(path_b))
            blocks, status = build(a, b, parsed.threshold, machine_state.load(path_a),
                                   machine_state.load(path_b))
    except UsageError as e:
        print("scripts/compare: %s\n%s" % (e, USAGE), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (runs.LoadError, AbError, NothingToCompare) as e:
        print("scripts/compare: %s" % e, file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(to_markdown(blocks))
    return status
