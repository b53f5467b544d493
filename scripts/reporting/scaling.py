"""The scaling curve: how throughput grows (or does not) with the number of workers, and the
Universal Scalability Law fitted to it.

For countdown and factorize every series of the run -- threads under each policy, subinterp's
threads, processes, CPython's threads and processes -- gives, at each n it ran (placement `os`),
the speedup against one thread: S(n) = time(seq) / time(n) for the same total work, as the
geometric mean of the paired per-round ratios (the claims' rule; a run without rounds gives the
ratio of medians). S(1) = 1 by definition. Throughput is S times one thread's.

Gunther's Universal Scalability Law models it with two costs:

    S(n) = n / (1 + sigma (n - 1) + kappa n (n - 1))

sigma (contention: the share of the work that serialises -- a GIL serialises all of it, sigma
near 1) and kappa (coherency: the cost every pair of workers pays to agree, which makes the
curve turn down). Fitted by least squares on log S (ratios are symmetric in the log), sigma in
[0, 20] (above 1: n workers are slower than one, as with Python 2's GIL on several cores) and
kappa in [0, 10]. The peak of throughput is at n* = sqrt((1 - sigma) / kappa) when sigma < 1 and
kappa > 0; with sigma >= 1 more workers never pay (the peak is n = 1); with kappa = 0 and
sigma < 1 the curve still rises at the largest n run. The peak's interval comes from refitting
on the rounds resampled with replacement (a bootstrap, as the claims' intervals); a run without
rounds gets the fit's figure and no interval. Two parameters need three values of n (1 and two
more); a series with fewer is shown without a fit.
"""

import math
import random
import statistics
from dataclasses import dataclass, field
from typing import List, Optional

from . import fmt, runs, stats
from .doc import Para, Table
from .runs import TIME

WORKLOADS = ("countdown", "factorize")
VM_THREAD_POLICIES = ("py2", "py3", "fifo", "prio", "subinterp")
SIGMA_MAX, KAPPA_MAX = 20.0, 10.0
BOOTSTRAP = 200
SEED = 20261206  # a fixed seed: the same run gives the same report


@dataclass
class Series:
    label: str
    policy: str  # for the colour: a VM policy or `cpython`
    mode: str
    # n -> (speedup, [per-round speedups]) ; n = 1 is (1.0, [])
    points: dict = field(default_factory=dict)
    fit: Optional["Fit"] = None

    @property
    def ns(self):
        return sorted(self.points)


@dataclass
class Fit:
    sigma: float
    kappa: float
    rms_log_error: float  # root mean square of log(observed / model) over the points
    peak_n: Optional[float]  # None: still rising at the largest n run
    peak_low: Optional[float] = None
    peak_high: Optional[float] = None
    resamples: int = 0


def usl(n, sigma, kappa):
    return n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))


def peak_of(sigma, kappa):
    """n of peak throughput: 1 when sigma >= 1, None when the curve never turns (kappa = 0)."""
    if sigma >= 1.0:
        return 1.0
    if kappa <= 1e-12:
        return None
    return max(1.0, math.sqrt((1.0 - sigma) / kappa))


def fit_usl(ns, speedups):
    """(sigma, kappa, rms) fitted to the points (n = 1 included with S = 1), or None when there
    are fewer than three distinct n or scipy is missing."""
    pts = sorted(dict(zip(ns, speedups)).items())
    if 1 not in dict(pts):
        pts = [(1, 1.0)] + pts
    if len(pts) < 3 or any(s <= 0 for _, s in pts):
        return None
    try:
        from scipy.optimize import least_squares
    except ImportError:
        return None
    xs = [float(n) for n, _ in pts]
    logs = [math.log(s) for _, s in pts]

    def residuals(p):
        return [math.log(usl(x, p[0], p[1])) - y for x, y in zip(xs, logs)]

    best = None
    for start in ((0.1, 0.01), (0.9, 0.001), (2.0, 0.0)):  # a few starts: the surface is flat
        r = least_squares(residuals, start, bounds=([0.0, 0.0], [SIGMA_MAX, KAPPA_MAX]))
        if best is None or r.cost < best.cost:
            best = r
    sigma, kappa = float(best.x[0]), float(best.x[1])
    rms = math.sqrt(statistics.fmean(e * e for e in residuals(best.x)))
    return sigma, kappa, rms


def _geomean(values):
    return math.exp(statistics.fmean(math.log(v) for v in values))


def fit_series(series, rng=None):
    """Fits the series and bootstraps its peak over the rounds; sets series.fit (or None)."""
    ns = [n for n in series.ns if n != 1]
    fitted = fit_usl(ns, [series.points[n][0] for n in ns])
    if fitted is None:
        series.fit = None
        return None
    sigma, kappa, rms = fitted
    fit = Fit(sigma, kappa, rms, peak_of(sigma, kappa))
    rounds = [series.points[n][1] for n in ns]
    if all(len(r) >= 5 for r in rounds):
        rng = rng or random.Random(SEED)
        peaks = []
        for _ in range(BOOTSTRAP):
            resampled = [_geomean([rng.choice(r) for _ in r]) for r in rounds]
            again = fit_usl(ns, resampled)
            if again is not None:
                p = peak_of(again[0], again[1])
                peaks.append(p if p is not None else math.inf)
        if peaks:
            peaks.sort()
            fit.peak_low = peaks[int(0.025 * (len(peaks) - 1))]
            fit.peak_high = peaks[int(0.975 * (len(peaks) - 1))]
            fit.resamples = len(peaks)
    series.fit = fit
    return fit


def _speedup(results, run):
    """(speedup against seq, per-round speedups) of a run, or None."""
    paired = results.paired_ratios(run)
    if paired:
        return 1.0 / _geomean(paired), [1.0 / r for r in paired]
    ratio, _ = results.ratio(run)
    return (1.0 / ratio, []) if ratio else None


def collect(results, workload):
    """The workload's Series (in display order) that have at least one n beyond 1."""
    specs = [("threads, %s" % p, p, "threads") for p in VM_THREAD_POLICIES]
    specs += [("processes", "py3", "processes"), ("CPython threads", "cpython", "threads"),
              ("CPython processes", "cpython", "processes")]
    out = []
    for label, policy, mode in specs:
        s = Series(label, policy, mode)
        for run in results.select(lambda k: k.workload == workload and k.policy == policy and
                                  k.mode == mode and k.placement == "os" and
                                  k.interval_us is None and k.n > 1):
            got = _speedup(results, run)
            if got is not None:
                s.points[run.key.n] = got
        base, _ = results.seq_baseline(runs.Key(workload, policy, mode, 1, "os"))
        if s.points and base is not None:
            s.points[1] = (1.0, [])
            out.append(s)
    return out


def _speedup_cell(point):
    """`0.918 [0.82–1.05]`: the speedup and the 95% interval of its rounds (the claims' rule:
    stats.estimate on the per-round speedups), the figure alone where there is no interval."""
    speedup, rounds = point
    e = stats.estimate(rounds) if rounds else None
    if e is None or not e.has_interval:
        return fmt.num(speedup)
    return "%s [%s–%s]" % (fmt.num(speedup), fmt.num(e.low), fmt.num(e.high))


def _param(x):
    """A fitted parameter: at the bound of 0 within the optimiser's precision reads 0."""
    return "0" if x < 5e-4 else fmt.num(x)


def _pus(results):
    """The PUs the run's machine had (its context), or None."""
    for f in results.files:
        try:
            return int(f.context.get("topology_pus"))
        except (TypeError, ValueError):
            continue
    return None


def peak_text(fit, max_n):
    if fit is None:
        return fmt.DASH
    if fit.peak_n is None:
        text = "still rising at n = %d" % max_n
    elif fit.peak_n <= 1.0:
        text = "n = 1 (more workers never pay)"
    else:
        text = "n ≈ %s" % fmt.num(fit.peak_n)
    if fit.resamples == 0:
        return text + " (no interval: fewer than 5 rounds)"
    same = fit.peak_n is not None and fit.peak_low == fit.peak_high == fit.peak_n
    if fit.peak_low is not None and not same:
        hi = "∞" if math.isinf(fit.peak_high) else fmt.num(fit.peak_high)
        text += " [%s–%s]" % (fmt.num(fit.peak_low), hi)
    return text


def blocks(results):
    """The report's section: per workload a table of speedups and the fits, and a sentence."""
    out = []
    any_series = False
    for workload in WORKLOADS:
        series = collect(results, workload)
        if not series:
            continue
        any_series = True
        rng = random.Random(SEED)
        for s in series:
            fit_series(s, rng)
        ns = sorted({n for s in series for n in s.ns})
        pus = _pus(results)
        rows = []
        for s in series:
            cells = [s.label] + [_speedup_cell(s.points[n]) if n in s.points else fmt.DASH
                                 for n in ns]
            f = s.fit
            cells += [_param(f.sigma) if f else fmt.DASH, _param(f.kappa) if f else fmt.DASH,
                      peak_text(f, max(s.ns)),
                      fmt.percent(math.exp(f.rms_log_error) - 1) if f else
                      "needs 3 values of n"]
            rows.append(cells)
        out.append(Para("**%s**: throughput against one thread (the speedup: 2 is twice one "
                        "thread's work per second) at each n, placement `os`, with its 95%% "
                        "interval over the rounds, and the Universal Scalability Law fitted to "
                        "each series." % workload))
        out.append(Table(["series"] + ["n = %d%s" % (n, " (over %d PUs)" % pus
                                                    if pus and n > pus else "") for n in ns] +
                         ["σ contention", "κ coherency", "peak throughput at", "fit error"],
                         rows))
        threads = [s for s in series if s.mode == "threads" and s.policy in
                   ("py3", "py2", "fifo", "prio") and s.fit is not None]
        if threads:
            words = "; ".join("under %s, %s" % (s.label.split(", ")[1],
                                                peak_text(s.fit, max(s.ns))) for s in threads)
            out.append(Para("Threads that share a GIL stop paying at: %s." % words))
    if not any_series:
        return [Para("No threads or processes rows beside a one-thread row at placement `os`: "
                     "nothing to draw a scaling curve from (`scripts/reproduce --full` runs "
                     "n = 1, 2, 4, ... up to the machine's PUs and twice that).")]
    out.insert(0, Para(
        "Speedup S(n) = time of one thread ÷ time of n workers for the same work (paired per "
        "round). Fitted: S(n) = n / (1 + σ(n−1) + κn(n−1)) — σ the share of the work that "
        "serialises (a GIL: near 1), κ the cost of workers keeping each other in step (it makes "
        "the curve turn down). The peak is √((1−σ)/κ); in brackets its 95% interval from the "
        "rounds resampled. Fit error: the typical distance between the points and the curve; "
        "with three values of n the curve has one point to spare, so it says little there and "
        "the interval says more. Points past the machine's PUs are oversubscribed. A series "
        "with two values of n has no fit: two parameters need three."))
    return out


def chart_series(results):
    """(the machine's PUs or None, {workload: [Series with fits]}) for the chart."""
    out = {}
    for workload in WORKLOADS:
        series = collect(results, workload)
        rng = random.Random(SEED)
        for s in series:
            fit_series(s, rng)
        if series:
            out[workload] = series
    return _pus(results), out
