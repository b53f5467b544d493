"""The claims a report makes, each checkable: "n threads (or processes) against one thread".

A claim compares two rows of the same workload, policy and placement: a threads, processes or
pool run and the one-thread (seq) run it is divided by (or, in the section on locks, queues and
pools, a workload's own pool against gilbench's processes of the same n: claim_between). Its
figure is the paired ratio over the rounds both ran in (stats.py: geometric mean, bootstrap
interval, three outcomes). verdict.json holds every claim under a stable id, so that two runs
can be compared claim by claim:

    {"id": "countdown/py3/threads/2/os:countdown/py3/seq/1/os", "ratio": 1.02, "low": 0.98,
     "high": 1.06, "rounds": 7, "outcome": "inconclusive", ...}

A claim of threads faster than one thread under a GIL that all threads share (every policy but
subinterp, and CPython) contradicts what a GIL allows; such a claim is flagged `unexpected`, and
the report says so beside it instead of letting a heading say the opposite.
"""

import os
from dataclasses import dataclass
from typing import Optional

from cpython_bench.output import write_json  # atomic: a temporary file, then a rename

from . import runs, stats

# Policies whose threads share one GIL: their threads cannot run Python in parallel.
SEPARATE_GIL_POLICIES = frozenset(("subinterp",))
VERDICT_JSON = "verdict.json"
SCHEMA = 1


def shares_gil(policy):
    return policy not in SEPARATE_GIL_POLICIES


@dataclass
class Claim:
    key: runs.Key
    baseline: runs.Key
    estimate: stats.Estimate
    stand_in: bool  # the baseline is a seq run on another placement (no seq run on this one)

    @property
    def id(self):
        return "%s:%s" % (self.row_name, self.baseline_name)

    @property
    def row_name(self):
        return _name(self.key)

    @property
    def baseline_name(self):
        return _name(self.baseline)

    @property
    def outcome(self):
        return self.estimate.outcome()

    @property
    def unexpected(self):
        """Threads faster than one thread while sharing a GIL."""
        return self.key.mode == "threads" and shares_gil(self.key.policy) and \
            self.outcome == stats.FASTER

    def to_json(self):
        e = self.estimate
        return {"id": self.id, "row": self.row_name, "baseline": self.baseline_name,
                "workload": self.key.workload, "policy": self.key.policy, "mode": self.key.mode,
                "n": self.key.n, "placement": self.key.placement,
                "ratio": round(e.ratio, 4),
                "low": round(e.low, 4) if e.low is not None else None,
                "high": round(e.high, 4) if e.high is not None else None,
                "rounds": e.rounds, "cv": round(e.cv, 4) if e.cv is not None else None,
                "outcome": self.outcome, "unexpected": self.unexpected,
                "baseline_stand_in": self.stand_in}


def _name(key):
    return "%s/%s/%s/%d/%s" % (key.workload, key.policy_label(), key.mode, key.n, key.placement)


def claim_for(results, run) -> Optional[Claim]:
    """The claim of one threads/processes/pool run against its seq run, or None without a
    baseline."""
    if run is None or not run.ok or run.key.mode == "seq":
        return None
    base, stand_in = results.seq_baseline(run.key)
    return claim_between(run, base, stand_in)


def claim_between(run, base, stand_in=False) -> Optional[Claim]:
    """The claim of `run` against `base`, any two rows measured in the same rounds (a threads row
    against its seq row; a workload's own pool against gilbench's processes of the same n), or
    None when either has no timing."""
    if run is None or not run.ok or base is None or not base.ok or not base.time_s:
        return None
    paired = runs.paired_ratios(run, base)
    # Without rounds the runs cannot be paired: one ratio of medians, which has no interval
    # and so can never be given a direction.
    ratios = paired if paired is not None else [run.time_s / base.time_s]
    return Claim(run.key, base.key, stats.estimate(ratios), stand_in)


def all_claims(results, workloads):
    """Every claim of these workloads' threads, processes and pool rows (not the sweep), in
    order."""
    out = []
    for run in results.select(lambda k: k.workload in workloads and k.mode != "seq"
                              and k.interval_us is None):
        claim = claim_for(results, run)
        if claim is not None:
            out.append(claim)
    return out


def write(run_dir, claims, headline, machine_state, speed_drift=None):
    """verdict.json in run_dir, written whole or not at all."""
    document = {
        "schema": SCHEMA,
        "headline": headline,
        "confidence": stats.CONFIDENCE,
        "noise_floor": stats.NOISE_FLOOR,
        "rule": "slower when the whole interval is above 1 + noise_floor, faster when it is "
                "below 1 / (1 + noise_floor), else inconclusive; ratio = time of the row / time "
                "of the baseline, paired within rounds (geometric mean, 95% interval: the wider of BCa bootstrap and Student's t)",
        "machine_state": machine_state,
        # median CV of the one-thread rows across rounds: how much the machine's speed moved
        "speed_drift_cv": round(speed_drift, 4) if speed_drift is not None else None,
        "claims": [c.to_json() for c in claims],
    }
    path = os.path.join(run_dir, VERDICT_JSON)
    write_json(document, path)
    return path
