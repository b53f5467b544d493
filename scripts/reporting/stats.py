"""One rule for every claim gilbench makes: a paired ratio, its interval, and an outcome.

A claim compares two rows measured in the same rounds (a threads run against the one-thread run
of the same round; a candidate build against the baseline build of the same round). Each round
gives one ratio; the machine's drift between rounds cancels inside a ratio. The claim's figure is
the geometric mean of the ratios (ratios multiply, so their logarithms are averaged), and its
uncertainty a 95% confidence interval over the rounds: the wider of a bootstrap interval
(scipy.stats.bootstrap, BCa, resampling the log-ratios; seeded, so the same data always gives the
same interval) and Student's t interval of the mean log-ratio. With many rounds the two agree;
with few, a bootstrap cannot reach beyond the ratios it resamples (from 3 rounds it is at most
their range) and calls differences real that the t interval, which knows how little 3 rounds
say, does not: an A/A comparison of one build against itself over 3 rounds was judged 13% slower
[1.085-1.157] by the bootstrap alone.

The outcome has three values and a direction is given only where the data supports it:
  slower        the whole interval lies above 1 + NOISE_FLOOR
  faster        the whole interval lies below 1 / (1 + NOISE_FLOOR)
  inconclusive  anything else: no difference this run can show
NOISE_FLOOR (5%) is fixed in advance, not tuned to any result: it is the smallest change this
project calls real on its noisy 2-core VMs, and the same figure scripts/compare uses by default.
"""

import math
import statistics
from dataclasses import dataclass
from typing import Optional

CONFIDENCE = 0.95
NOISE_FLOOR = 0.05
MIN_ROUNDS = 3  # fewer paired ratios give no interval at all
RESAMPLES = 4999
SEED = 20261205

SLOWER, FASTER, INCONCLUSIVE = "slower", "faster", "inconclusive"


@dataclass(frozen=True)
class Estimate:
    """A paired ratio: its centre (geometric mean), interval and the rounds behind it."""

    ratio: float
    low: Optional[float]  # None with fewer than MIN_ROUNDS ratios
    high: Optional[float]
    rounds: int
    cv: Optional[float]  # coefficient of variation of the ratios (their spread, not the CI's)

    @property
    def has_interval(self):
        return self.low is not None and self.high is not None

    def outcome(self, floor=NOISE_FLOOR):
        return outcome(self.low, self.high, floor)

    def straddles_floor(self, floor=NOISE_FLOOR):
        """Whether the interval holds a boundary of the floor (1 + floor or 1 / (1 + floor)):
        such a claim is inconclusive now but could take a direction with more rounds, or lose
        the one it has, so a run that can afford more rounds gives them to it."""
        if not self.has_interval:
            return False
        upper, lower = 1.0 + floor, 1.0 / (1.0 + floor)
        return self.low <= upper < self.high or self.low < lower <= self.high


def outcome(low, high, floor=NOISE_FLOOR):
    """slower / faster / inconclusive for an interval of a ratio (time B / time A)."""
    if low is None or high is None:
        return INCONCLUSIVE
    if low > 1.0 + floor:
        return SLOWER
    if high < 1.0 / (1.0 + floor):
        return FASTER
    return INCONCLUSIVE


def _bootstrap_mean(logs):
    """(low, high) of the mean of `logs` by BCa bootstrap; None when scipy is missing."""
    try:
        import numpy as np
        from scipy.stats import bootstrap
    except ImportError:
        return None
    if max(logs) - min(logs) < 1e-12:
        return logs[0], logs[0]  # every round agrees exactly: nothing to resample
    result = bootstrap((np.asarray(logs),), np.mean, confidence_level=CONFIDENCE,
                       n_resamples=RESAMPLES, method="BCa",
                       random_state=np.random.default_rng(SEED))
    low, high = result.confidence_interval
    if not (math.isfinite(low) and math.isfinite(high)):  # BCa degenerates on odd samples
        result = bootstrap((np.asarray(logs),), np.mean, confidence_level=CONFIDENCE,
                           n_resamples=RESAMPLES, method="percentile",
                           random_state=np.random.default_rng(SEED))
        low, high = result.confidence_interval
    return float(low), float(high)


def _student_t_mean(logs):
    """(low, high) of the mean of `logs` by Student's t; None when scipy is missing."""
    try:
        from scipy.stats import t
    except ImportError:
        return None
    n = len(logs)
    centre = statistics.fmean(logs)
    half = t.ppf(0.5 + CONFIDENCE / 2, n - 1) * statistics.stdev(logs) / math.sqrt(n)
    return centre - half, centre + half


def _usable(ratios):
    return [r for r in ratios if isinstance(r, (int, float)) and r > 0 and math.isfinite(r)]


def geometric_mean(ratios):
    """The centre of a claim (ratios multiply: their logarithms are averaged), or None."""
    ratios = _usable(ratios)
    return math.exp(statistics.fmean(math.log(r) for r in ratios)) if ratios else None


def estimate(ratios):
    """Estimate of a list of positive paired ratios, or None when there is none."""
    ratios = _usable(ratios)
    if not ratios:
        return None
    logs = [math.log(r) for r in ratios]
    centre = geometric_mean(ratios)
    cv = statistics.stdev(ratios) / statistics.fmean(ratios) if len(ratios) >= 2 else None
    if len(ratios) < MIN_ROUNDS:
        return Estimate(centre, None, None, len(ratios), cv)
    bounds = _bootstrap_mean(logs)
    t_bounds = _student_t_mean(logs)
    if bounds is None or t_bounds is None:
        return Estimate(centre, None, None, len(ratios), cv)
    low, high = min(bounds[0], t_bounds[0]), max(bounds[1], t_bounds[1])
    return Estimate(centre, math.exp(low), math.exp(high), len(ratios), cv)
