#!/usr/bin/python3
"""The scaling curve (scripts/reporting/scaling.py): the Universal Scalability Law fit recovers
known parameters, the peak's cases, the bootstrap interval over rounds, the series read from a
run in rounds, and the chart with ten curves of 64 PUs' points (which a reviewer looks at:
SCALING_CHART_OUT=DIR keeps it).

    /usr/bin/python3 tests/scripts/scaling_test.py
Exits 77 (ctest: skipped) without scipy or matplotlib.
"""

import json
import math
import os
import random
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(REPO, "scripts"))
try:
    import matplotlib  # noqa: F401
    import scipy  # noqa: F401
except ImportError as e:
    print("scaling_test: skipped: %s" % e)
    sys.exit(77)
from reporting import charts, doc, runs, scaling  # noqa: E402

NS = [1, 2, 4, 8, 16, 32, 64]


class FitTest(unittest.TestCase):
    def test_recovers_known_parameters(self):
        for sigma, kappa in ((0.05, 0.001), (0.3, 0.01), (0.0, 0.0005), (0.9, 0.0)):
            ns = NS[1:]
            sigma_fit, kappa_fit, rms = scaling.fit_usl(ns, [scaling.usl(n, sigma, kappa)
                                                              for n in ns])
            self.assertAlmostEqual(sigma_fit, sigma, places=3)
            self.assertAlmostEqual(kappa_fit, kappa, places=4)
            self.assertLess(rms, 1e-4)  # the optimiser stops within its tolerance

    def test_threads_slower_than_one_need_sigma_above_1(self):
        ns = [2, 4, 8]
        sigma, kappa, _ = scaling.fit_usl(ns, [0.8, 0.7, 0.65])
        self.assertGreater(sigma, 1.0)
        self.assertEqual(scaling.peak_of(sigma, kappa), 1.0)

    def test_peak_cases(self):
        self.assertAlmostEqual(scaling.peak_of(0.19, 0.0009), 30.0)
        self.assertEqual(scaling.peak_of(1.2, 0.1), 1.0)
        self.assertIsNone(scaling.peak_of(0.2, 0.0))

    def test_two_values_of_n_are_not_enough(self):
        self.assertIsNone(scaling.fit_usl([2], [1.5]))
        self.assertIsNone(scaling.fit_usl([], []))
        self.assertIsNotNone(scaling.fit_usl([2, 4], [1.5, 2.0]))

    def test_bootstrap_interval_holds_the_true_peak(self):
        rng = random.Random(7)
        sigma, kappa = 0.05, 0.002  # peak at sqrt(0.95 / 0.002) = 21.8
        series = scaling.Series("threads, py3", "py3", "threads")
        series.points[1] = (1.0, [])
        for n in NS[1:]:
            rounds = [scaling.usl(n, sigma, kappa) * math.exp(rng.gauss(0, 0.03))
                      for _ in range(7)]
            series.points[n] = (scaling._geomean(rounds), rounds)
        fit = scaling.fit_series(series)
        self.assertGreater(fit.resamples, 100)
        self.assertLessEqual(fit.peak_low, 21.8)
        self.assertGreaterEqual(fit.peak_high, 21.8)
        self.assertIn("[", scaling.peak_text(fit, 64))


def write_run(tmp, times_by_name, rounds=5, pus=64):
    """A gilbench file in rounds: {name: seconds per round}."""
    rows = []
    for name, seconds in times_by_name.items():
        for r in range(rounds):
            full = name + "/process_time/real_time"
            rows.append({"name": full, "run_name": full, "run_type": "iteration",
                         "repetitions": rounds, "repetition_index": r, "iterations": 1,
                         "real_time": seconds[r] * 1e3, "cpu_time": seconds[r] * 1e3,
                         "time_unit": "ms", "round": r})
    path = os.path.join(tmp, "gilbench.json")
    with open(path, "w") as f:
        json.dump({"context": {"topology_pus": str(pus), "repetitions_in_rounds": "true"},
                   "benchmarks": rows}, f)
    return path


class SeriesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="scaling_test.")
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_series_from_a_run_in_rounds(self):
        drift = [1.0, 1.1, 0.9, 1.05, 0.95]  # the machine's speed: cancels in the pairs
        times = {}
        for policy, sigma, kappa in (("py3", 1.1, 0.0), ("subinterp", 0.05, 0.001)):
            times["countdown/%s/seq/1/os" % policy] = [10 * d for d in drift]
            for n in NS[1:]:
                s = scaling.usl(n, sigma, kappa)
                times["countdown/%s/threads/%d/os" % (policy, n)] = [10 / s * d for d in drift]
        results = runs.Results([runs.load(write_run(self.tmp, times))])
        series = {s.label: s for s in scaling.collect(results, "countdown")}
        self.assertEqual(set(series), {"threads, py3", "threads, subinterp"})
        sub = series["threads, subinterp"]
        self.assertEqual(sub.ns, NS)
        self.assertAlmostEqual(sub.points[8][0], scaling.usl(8, 0.05, 0.001), places=6)
        self.assertEqual(len(sub.points[8][1]), 5)  # one speedup per round
        blocks = scaling.blocks(results)
        text = doc.to_markdown(blocks)
        self.assertIn("| threads, subinterp | 1.00 |", text)
        self.assertIn("under py3, n = 1 (more workers never pay)", text)
        self.assertNotIn("over 64 PUs", text)

    def test_no_curve_without_rows(self):
        results = runs.Results([runs.load(write_run(self.tmp, {
            "countdown/py3/seq/1/os": [1.0] * 5}))])
        text = doc.to_markdown(scaling.blocks(results))
        self.assertIn("nothing to draw a scaling curve from", text)

    def test_ten_curves_of_64_pus_chart(self):
        """Ten series up to 64 PUs and one oversubscribed point: the chart is drawn (and kept
        for a look with SCALING_CHART_OUT)."""
        data = {}
        for workload in scaling.WORKLOADS:
            series = []
            for i, (label, policy, mode) in enumerate(
                    [("threads, %s" % p, p, "threads") for p in scaling.VM_THREAD_POLICIES] +
                    [("processes", "py3", "processes"), ("CPython threads", "cpython", "threads"),
                     ("CPython processes", "cpython", "processes"),
                     ("threads, extra1", "py3", "threads"), ("threads, extra2", "py2", "threads")]):
                s = scaling.Series(label, policy, mode)
                for n in NS + [128]:
                    s.points[n] = (scaling.usl(n, 0.02 * i, 0.0002 * i), [])
                scaling.fit_series(s)
                series.append(s)
            data[workload] = series
        out = os.environ.get("SCALING_CHART_OUT") or self.tmp
        name, problem = charts.scaling_chart((64, data), out)
        self.assertIsNone(problem)
        self.assertTrue(os.path.getsize(os.path.join(out, name)) > 10000)


if __name__ == "__main__":
    unittest.main()
