#!/usr/bin/python3
"""The decomposition of a threads or processes row's extra time (scripts/reporting/decomposition.py) on
synthetic runs whose parts are known: each part comes out as built, the residual is what the
parts leave, shares and the verdict's sentence appear only for rows judged slower, and a row
without the counters gets no decomposition at all (never zeros).

    /usr/bin/python3 tests/scripts/decomposition_test.py
"""

import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(REPO, "scripts"))
from reporting import decomposition, doc, fairness, runs  # noqa: E402

MS = 1e6  # ns per ms

# One thread: 1000 ms, holding the GIL for 990 ms of it, 10 ms of that off CPU, 1e6 ticks.
SEQ = {"time_ms": 1000, "gil_hold_ns_total": 990 * MS, "gil_hold_offcpu_ns": 10 * MS,
       "gil_gap_ns_total": 0, "vm_ticks": 1e6}
# Two threads: 500 ms more, built from 100 ms of handoff gaps, 250 ms more off CPU while
# holding and 150 ms more CPU for the same ticks: the parts add up to the extra exactly.
THREADS = {"time_ms": 1500, "gil_hold_ns_total": (980 + 250 + 150 + 10) * MS,
           "gil_hold_offcpu_ns": 260 * MS, "gil_gap_ns_total": 100 * MS, "vm_ticks": 1e6}


def write_runs(tmp, rows_by_name, rounds=5, jitter=(0, 2, -1, 1, 0), policy="py3",
               name="gilbench.json"):
    """A Google Benchmark file, repetitions in rounds; each round moves every time by jitter ms
    (both rows alike, so the paired ratios stay steady)."""
    rows = []
    for run_name, fields in rows_by_name.items():
        for r in range(rounds):
            row = {"name": run_name + "/real_time", "run_name": run_name + "/real_time",
                   "run_type": "iteration", "repetitions": rounds, "repetition_index": r,
                   "iterations": 1, "real_time": fields["time_ms"] + jitter[r],
                   "cpu_time": 1.0, "time_unit": "ms"}
            row.update({k: v for k, v in fields.items() if k != "time_ms"})
            rows.append(row)
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump({"context": {"repetitions_in_rounds": "true"}, "benchmarks": rows}, f)
    return runs.load(path)


class DecompositionTest(unittest.TestCase):
    def setUp(self):
        self.tmp_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp_dir.cleanup)
        self.tmp = self.tmp_dir.name

    def results(self, seq, threads, policy="py3"):
        f = write_runs(self.tmp, {"countdown/%s/seq/1/os" % policy: seq,
                                  "countdown/%s/threads/2/os" % policy: threads})
        return runs.Results([f])

    def decompose(self, results, policy="py3"):
        return decomposition.decompose(results,
                                       results.get("countdown", policy, "threads", 2, "os"))

    def test_known_parts_add_up(self):
        d = self.decompose(self.results(SEQ, THREADS))
        self.assertTrue(d.slower)
        self.assertEqual(d.rounds, 5)
        self.assertAlmostEqual(d.extra, 0.5)
        self.assertAlmostEqual(d.parts["gaps"], 0.1)
        self.assertAlmostEqual(d.parts["offcpu"], 0.25)
        self.assertAlmostEqual(d.parts["slower"], 0.15)
        self.assertAlmostEqual(d.residual, 0.0)
        self.assertEqual(decomposition.sentence(d),
                         "50% of the extra 500 ms is the GIL's holder not running -- another "
                         "thread or process had its CPU; slower execution while holding 30%, GIL "
                         "handoff gaps 20%; 0% is left unexplained by these parts")

    def test_the_residual_shows_what_the_parts_miss(self):
        threads = dict(THREADS, time_ms=2000)  # 500 ms more that no part accounts for
        d = self.decompose(self.results(SEQ, threads))
        self.assertAlmostEqual(d.residual, 0.5)
        self.assertAlmostEqual(d.residual_share(), 0.5)
        self.assertTrue(decomposition.sentence(d).endswith("50% is left unexplained by these "
                                                           "parts"))
        threads = dict(THREADS, time_ms=1400)  # the parts come to more than the extra
        d = self.decompose(self.results(SEQ, threads))
        self.assertAlmostEqual(d.residual, -0.1)
        self.assertTrue(decomposition.sentence(d).endswith("together the parts come to 125% "
                                                           "of it"))

    def test_slower_work_is_judged_per_tick(self):
        """Twice the ticks in twice the on-CPU time is not slower execution."""
        threads = dict(THREADS, vm_ticks=2e6, gil_hold_ns_total=(1960 + 250 + 10) * MS,
                       time_ms=2000 + 350)
        seq = dict(SEQ)
        d = self.decompose(self.results(seq, threads))
        self.assertAlmostEqual(d.parts["slower"], 0.0)

    def test_no_direction_no_shares(self):
        """A row the data cannot tell from its seq row: parts in ms, no shares, no sentence."""
        threads = dict(SEQ, gil_gap_ns_total=1 * MS, time_ms=1001)
        d = self.decompose(self.results(SEQ, threads))
        self.assertFalse(d.slower)
        self.assertIsNone(decomposition.sentence(d))
        (table,) = [b for b in decomposition.blocks(self.results(SEQ, threads), ["countdown"])
                    if isinstance(b, doc.Table)]
        self.assertNotIn("%", " ".join(table.rows[0]))

    def test_missing_counters_give_no_decomposition(self):
        """An older gilbench (no gil_hold_offcpu_ns): nothing is decomposed, nothing is zero."""
        seq = {k: v for k, v in SEQ.items() if k != "gil_hold_offcpu_ns"}
        threads = {k: v for k, v in THREADS.items() if k != "gil_hold_offcpu_ns"}
        results = self.results(seq, threads)
        self.assertIsNone(self.decompose(results))
        (para,) = decomposition.blocks(results, ["countdown"])
        self.assertIn("No threads or processes row here carries the counters", para.text)

    def test_no_gil_split_without_a_shared_gil(self):
        """subinterp's threads each hold a GIL of their own: one holder at a time does not hold,
        so they get the side-by-side split of processes -- and without its figures, none."""
        results = self.results(SEQ, THREADS, policy="subinterp")
        self.assertIsNone(self.decompose(results, policy="subinterp"))
        threads = dict(THREADS, slowest_worker_wall_ns=490 * MS, slowest_worker_vm_ticks=5e5,
                       slowest_worker_task_clock_ns=480 * MS, slowest_worker_run_delay_ns=0)
        seq = dict(SEQ, task_clock_ns=960 * MS, sched_run_delay_ns=0)
        d = self.decompose(self.results(seq, threads, policy="subinterp"), policy="subinterp")
        self.assertTrue(d.side_by_side)
        self.assertEqual(sorted(d.parts), ["cpuwait", "imbalance", "slower", "startup"])

    def test_cpython_rows_get_the_scheduler_parts(self):
        """CPython's one part is its threads' extra CPU time; their run delay is no part (threads
        that wait for a CPU may overlap one that runs), so it stays in the residual's company."""
        seq = {"time_ms": 1000, "task_clock_ns": 990 * MS, "sched_run_delay_ns": 5 * MS}
        threads = {"time_ms": 1300, "task_clock_ns": 1240 * MS, "sched_run_delay_ns": 1500 * MS}
        d = self.decompose(self.results(seq, threads, policy="cpython"), policy="cpython")
        self.assertEqual(list(d.parts), ["cpu"])
        self.assertAlmostEqual(d.parts["cpu"], 0.25)
        self.assertAlmostEqual(d.residual, 0.05)
        self.assertTrue(decomposition.sentence(d).startswith(
            "83% of the extra 300 ms is the threads using more CPU time than one thread"))

    def test_cpu_wait_and_idle_are_parts_of_their_own(self):
        """With the newer counters, the gaps split into waking the next holder and the next
        holder waiting for a CPU (40 of the 100 ms), and time with every thread blocked beyond
        the seq row's (30 ms) is a part instead of residual."""
        seq = dict(SEQ, gil_idle_ns=20 * MS)
        threads = dict(THREADS, time_ms=1530, gil_gap_cpu_wait_ns=40 * MS, gil_idle_ns=50 * MS)
        d = self.decompose(self.results(seq, threads))
        self.assertAlmostEqual(d.parts["gaps"], 0.06)
        self.assertAlmostEqual(d.parts["cpuwait"], 0.04)
        self.assertAlmostEqual(d.parts["idle"], 0.03)
        self.assertAlmostEqual(d.residual, 0.0)
        (table,) = [b for b in decomposition.blocks(self.results(seq, threads), ["countdown"])
                    if isinstance(b, doc.Table)]
        self.assertIn("next holder waiting for a CPU", table.headers)
        self.assertIn("all threads blocked", table.headers)

    def test_rows_without_the_newer_counters_keep_the_whole_gap(self):
        d = self.decompose(self.results(SEQ, THREADS))
        self.assertNotIn("cpuwait", d.parts)
        self.assertNotIn("idle", d.parts)
        self.assertAlmostEqual(d.parts["gaps"], 0.1)

    def test_processes_rows_against_an_even_split(self):
        """Two processes against a 1000 ms seq row: 600 ms is 100 ms beyond the even split,
        built from 30 ms of start-up, 20 ms more CPU for the slowest child's ticks, 25 ms more
        run delay, 10 ms for 1% more than half the work, and 15 ms left (blocked). No jitter: the
        yardstick moves by half of the seq row's."""
        seq = dict(SEQ, task_clock_ns=950 * MS, sched_run_delay_ns=50 * MS)
        ticks = 0.51e6  # 1% of the job beyond half: 10,000 ticks at 1 ms per 1000 ticks
        per_tick_cpu, per_tick_wait = 950 * MS / 1e6, 50 * MS / 1e6
        procs = {"time_ms": 600, "slowest_worker_wall_ns": 570 * MS,
                 "slowest_worker_vm_ticks": ticks,
                 "slowest_worker_task_clock_ns": ticks * per_tick_cpu + 20 * MS,
                 "slowest_worker_run_delay_ns": ticks * per_tick_wait + 25 * MS,
                 "vm_ticks": 1e6, "fairness_work": 0.99, "fairness_cpu": 0.98}
        f = write_runs(self.tmp, {"countdown/py2/seq/1/os": seq,
                                  "countdown/py2/processes/2/os": procs}, jitter=(0,) * 5)
        results = runs.Results([f])
        d = decomposition.decompose(results, results.get("countdown", "py2", "processes", 2,
                                                         "os"))
        self.assertTrue(d.side_by_side)
        self.assertFalse(d.slower)  # no shares against an even split
        self.assertAlmostEqual(d.extra, 0.1)
        self.assertAlmostEqual(d.parts["startup"], 0.03)
        self.assertAlmostEqual(d.parts["slower"], 0.02)
        self.assertAlmostEqual(d.parts["cpuwait"], 0.025)
        self.assertAlmostEqual(d.parts["imbalance"], 0.01)
        self.assertAlmostEqual(d.residual, 0.015)
        tables = [b for b in decomposition.blocks(results, ["countdown"])
                  if isinstance(b, doc.Table)]
        self.assertEqual(len(tables), 1)
        self.assertIn("beyond seq / n", tables[0].headers)
        # Without the slowest child's figures (an older gilbench): no split, never zeros.
        del procs["slowest_worker_run_delay_ns"]
        f = write_runs(self.tmp, {"countdown/py2/seq/1/os": seq,
                                  "countdown/py2/processes/2/os": procs})
        results = runs.Results([f])
        self.assertIsNone(decomposition.decompose(
            results, results.get("countdown", "py2", "processes", 2, "os")))


class CPythonProcessesTest(unittest.TestCase):
    def test_cpython_processes_rows_split_against_1_n(self):
        """No ticks: the slowest child's CPU time and run delay against half the seq row's."""
        seq = {"time_ms": 1000, "task_clock_ns": 950 * MS, "sched_run_delay_ns": 40 * MS}
        procs = {"time_ms": 560, "slowest_worker_wall_ns": 540 * MS,
                 "slowest_worker_task_clock_ns": 500 * MS, "slowest_worker_run_delay_ns": 30 * MS,
                 "fairness_cpu": 0.99}
        with tempfile.TemporaryDirectory() as tmp:
            f = write_runs(tmp, {"countdown/cpython/seq/1/os": seq,
                                 "countdown/cpython/processes/2/os": procs}, jitter=(0,) * 5)
        results = runs.Results([f])
        d = decomposition.decompose(results, results.get("countdown", "cpython", "processes", 2,
                                                         "os"))
        self.assertEqual(sorted(d.parts), ["cpuwait", "slower", "startup"])
        self.assertAlmostEqual(d.extra, 0.06)
        self.assertAlmostEqual(d.parts["startup"], 0.02)
        self.assertAlmostEqual(d.parts["slower"], 0.025)
        self.assertAlmostEqual(d.parts["cpuwait"], 0.01)
        self.assertAlmostEqual(d.residual, 0.005)


class FairnessTest(unittest.TestCase):
    """The fairness section (scripts/reporting/fairness.py): threads rows show their GIL holding
    index, processes rows their CPU-share index, and CPU-bound rows below 0.8 are flagged."""

    def test_threads_and_processes_rows(self):
        with tempfile.TemporaryDirectory() as tmp:
            f = write_runs(tmp, {
                "countdown/py2/seq/1/os": dict(SEQ),
                "countdown/py2/threads/2/os": dict(THREADS, fairness_hold=0.7,
                                                   fairness_work=0.72),
                "countdown/py2/processes/2/os": {"time_ms": 520, "fairness_cpu": 0.97,
                                                 "fairness_work": 0.95}})
            blocks = fairness.blocks(runs.Results([f]))
        (table,) = [b for b in blocks if isinstance(b, doc.Table)]
        by_mode = {row[2]: row for row in table.rows}
        self.assertEqual(sorted(by_mode), ["processes", "threads"])
        self.assertEqual(by_mode["threads"][5], "0.70 ⚑")
        self.assertEqual(by_mode["processes"][5:], ["0.97", "0.95"])
        self.assertIn("`countdown/py2/threads/2/os`", blocks[-1].text)
        self.assertNotIn("processes", blocks[-1].text)


if __name__ == "__main__":
    unittest.main()
