#!/usr/bin/python3
"""Tests of scripts/reproduction/run.py's pieces that decide what is measured: merging the parts
of the rounds, choosing the claims that get follow-up rounds, and the rows those rounds run; the
plans' steps and their rows. Nothing here measures: the parts are made up, and the steps are
recorded instead of run.

    /usr/bin/python3 tests/scripts/reproduce_test.py
Exits 77 (ctest: skipped) when scipy is missing (scripts/setup installs it).
"""

import json
import os
import re
import shutil
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.join(REPO, "scripts", "reproduction"))
import run  # noqa: E402
from reporting import stats  # noqa: E402

ROUNDS = 7
# Seconds per round of each row; threads rows are divided by the seq row of their round.
SEQ = [1.00, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97]
# A clear slowdown, one clearly within the floor, and one whose interval holds 1.05.
CLEAR = [2.0, 2.1, 1.9, 2.05, 1.95, 2.0, 2.02]
WITHIN = [1.0, 1.01, 0.99, 1.0, 1.005, 0.995, 1.0]
STRADDLING = [1.01, 1.09, 1.00, 1.10, 1.02, 1.08, 1.04]


def row(name, seconds, round_index):
    return {"name": name + "/process_time/real_time", "run_name": name + "/process_time/real_time",
            "run_type": "iteration", "repetitions": 1, "repetition_index": 0, "iterations": 1,
            "real_time": seconds * 1e3, "cpu_time": seconds * 1e3, "time_unit": "ms"}


class FollowUpTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="reproduce_test.")
        self.addCleanup(shutil.rmtree, self.dir)
        self.parts = {}
        for r in range(ROUNDS):
            ours = [row("countdown/py2/seq/1/os", SEQ[r], r),
                    row("countdown/py2/threads/2/os", SEQ[r] * CLEAR[r], r),
                    row("countdown/py3/seq/1/os", SEQ[r], r),
                    row("countdown/py3/threads/2/os", SEQ[r] * STRADDLING[r], r),
                    row("countdown/fifo/seq/1/os", SEQ[r], r),
                    row("countdown/fifo/threads/2/os", SEQ[r] * WITHIN[r], r)]
            cpython = [row("countdown/cpython/seq/1/os", 3 * SEQ[r], r),
                       row("countdown/cpython/threads/2/os", 3 * SEQ[r] * STRADDLING[r], r)]
            for name, rows in (("cpu", ours), ("cpython", cpython)):
                path = os.path.join(self.dir, "%s.%d.part.json" % (name, r))
                with open(path, "w") as f:
                    json.dump({"context": {}, "benchmarks": rows}, f)
                self.parts.setdefault(name, []).append((path, r))

    def test_straddles_floor(self):
        for low, high, expected in ((1.02, 1.08, True), (0.90, 0.96, True), (0.97, 1.04, False),
                                    (1.06, 1.20, False), (0.80, 0.94, False),
                                    (0.90, 1.10, True)):
            with self.subTest(low=low, high=high):
                estimate = stats.Estimate(1.0, low, high, ROUNDS, 0.01)
                self.assertEqual(estimate.straddles_floor(), expected)
        self.assertFalse(stats.Estimate(1.05, None, None, 1, None).straddles_floor())

    def test_interim_claims_read_the_parts_without_writing(self):
        before = sorted(os.listdir(self.dir))
        by_id = {c.row_name: c for c in run.interim_claims(self.parts, ROUNDS)}
        self.assertEqual(sorted(os.listdir(self.dir)), before)
        self.assertEqual(by_id["countdown/py2/threads/2/os"].outcome, stats.SLOWER)
        self.assertEqual(by_id["countdown/fifo/threads/2/os"].outcome, stats.INCONCLUSIVE)
        self.assertFalse(by_id["countdown/fifo/threads/2/os"].estimate.straddles_floor())
        self.assertTrue(by_id["countdown/py3/threads/2/os"].estimate.straddles_floor())
        self.assertTrue(by_id["countdown/cpython/threads/2/os"].estimate.straddles_floor())
        self.assertEqual({c.estimate.rounds for c in by_id.values()}, {ROUNDS})

    def test_follow_up_runs_only_the_straddling_claims_rows(self):
        steps = RecordingSteps()
        plan = dict(run.PLANS["standard"], follow_up_until_s=3600)
        total = run.follow_up(plan, self.dir, steps, self.parts, ROUNDS)
        self.assertEqual(total, 2 * ROUNDS)  # time allowed it: twice the planned rounds
        gilbench = [c for c in steps.commands if c[0].endswith("gilbench")]
        cpython = [c for c in steps.commands if c[1].endswith("cpython-bench")]
        self.assertEqual(len(gilbench), ROUNDS)
        self.assertEqual(len(cpython), ROUNDS)
        pattern = [a for a in gilbench[0] if a.startswith("--benchmark_filter=")][0]
        regex = re.compile(pattern.split("=", 1)[1])
        selected = {name for name in ("countdown/py2/seq/1/os", "countdown/py2/threads/2/os",
                                      "countdown/py3/seq/1/os", "countdown/py3/threads/2/os",
                                      "countdown/py3/threads/2/one-core",
                                      "countdown/fifo/threads/2/os")
                    if regex.search(name + "/process_time/real_time")}
        self.assertEqual(selected, {"countdown/py3/seq/1/os", "countdown/py3/threads/2/os"})
        modes = cpython[0][cpython[0].index("--modes") + 1]
        self.assertEqual(modes, "seq,threads")
        # Each follow-up round's parts carry their own round index, after the planned ones.
        self.assertEqual([r for _, r in self.parts["cpu"]], list(range(2 * ROUNDS)))
        self.assertEqual([r for _, r in self.parts["cpython"]], list(range(2 * ROUNDS)))

    def test_no_follow_up_when_time_is_up(self):
        steps = RecordingSteps()
        steps.started = time.monotonic() - 1000
        plan = dict(run.PLANS["standard"], follow_up_until_s=60)
        self.assertEqual(run.follow_up(plan, self.dir, steps, self.parts, ROUNDS), ROUNDS)
        self.assertEqual(steps.commands, [])

    def test_no_follow_up_when_every_claim_is_clear(self):
        for path, r in self.parts["cpu"]:  # py3 and CPython made clearly slower
            with open(path) as f:
                data = json.load(f)
            for b in data["benchmarks"]:
                if "threads" in b["name"] and "py3" in b["name"]:
                    b["real_time"] *= 1.5
            with open(path, "w") as f:
                json.dump(data, f)
        del self.parts["cpython"]
        steps = RecordingSteps()
        plan = dict(run.PLANS["standard"], follow_up_until_s=3600)
        self.assertEqual(run.follow_up(plan, self.dir, steps, self.parts, ROUNDS), ROUNDS)
        self.assertEqual(steps.commands, [])

    def test_merge_keeps_rounds_and_leaves_out_a_cut_part(self):
        with open(self.parts["cpu"][3][0], "w") as f:
            f.write('{"context": {}, "benchmarks": [{"name": ')  # a step killed mid-write
        dest = os.path.join(self.dir, "gilbench.json")
        left_out, wrote = run.merge(self.parts["cpu"], dest, ROUNDS)
        self.assertTrue(wrote)
        self.assertEqual(left_out, ["cpu.3.part.json"])
        with open(dest) as f:
            data = json.load(f)
        self.assertEqual(data["context"]["repetitions_in_rounds"], "true")
        self.assertEqual(sorted({b["repetition_index"] for b in data["benchmarks"]}),
                         [0, 1, 2, 4, 5, 6])

    def test_regex_literal(self):
        for name in ("countdown/py3@1.5us/seq/1/one-core", "a+b(c)[d]{e}|f^g$h*i?j\\k"):
            with self.subTest(name=name):
                regex = re.compile("^" + run._regex_literal(name) + "$")
                self.assertTrue(regex.match(name))
                self.assertNotIn("\\-", run._regex_literal(name))
        self.assertFalse(re.match("^" + run._regex_literal("a.b") + "$", "axb"))


class PlanSizeTest(unittest.TestCase):
    """How a plan is sized before it runs: its steps for a machine of n PUs, their rows and the
    estimate (the topology lab's test sizes the plans on its 64-PU guest)."""

    def test_default_thread_counts_match_gilbench(self):
        self.assertEqual(run.default_thread_counts(1), [1])
        self.assertEqual(run.default_thread_counts(2), [1, 2])
        self.assertEqual(run.default_thread_counts(6), [1, 2, 4, 6])
        self.assertEqual(run.default_thread_counts(64), [1, 2, 4, 8, 16, 32, 64])

    def test_scaling_curve_only_in_full_and_without_the_cpu_steps_n(self):
        full = run.PLANS["full"]
        parts = [p for p, _, _ in run.gilbench_steps(full, 64)]
        self.assertEqual(parts, ["cpu", "io", "spawners", "sweep", "scaling"])
        scaling = dict((p, f) for p, _, f in run.gilbench_steps(full, 64))["scaling"]
        self.assertIn("--threads=1,8,16,32,64,128", scaling)  # 2 and 4 are the cpu step's
        self.assertIn("--modes=threads,processes", scaling)
        for plan in ("standard", "quick"):
            self.assertNotIn("scaling", [p for p, _, _ in run.gilbench_steps(run.PLANS[plan], 64)])
        self.assertEqual(run.cpython_threads(full, 64), "1,2,4,8,16,32,64,128")

    def test_quick_rows_do_not_grow_with_the_machine(self):
        quick = run.PLANS["quick"]
        self.assertEqual(run.gilbench_steps(quick, 2), run.gilbench_steps(quick, 256))
        self.assertEqual(run.cpython_steps(quick, 2), run.cpython_steps(quick, 256))

    def test_count_rows_and_estimate(self):
        seen = []

        def lister(flags):
            seen.append(flags)
            return ["row"] * 10
        plan = dict(run.PLANS["quick"])
        counts = run.count_rows(plan, 2, lister)
        self.assertEqual(list(counts), ["cpu", "io", "spawners", "sweep", "cpython",
                                        "cpython-spawners"])
        self.assertTrue(all(f[0] == "--size=quick" for f in seen))
        self.assertEqual(counts["cpu"], 10)
        # cpython: countdown and factorize (seq + threads/processes at n=2), sleep, native and
        # pipe_io likewise, and the trio (threads/processes at 3 CPU-thread counts, no seq).
        self.assertEqual(counts["cpython"], 2 * 3 + 3 * 3 + 3 * 6)
        # the spawners at n=2: seq, then threads, processes, pool where each has them
        self.assertEqual(counts["cpython-spawners"], 3 + 3 + 3 + 3 + 4)
        self.assertAlmostEqual(run.estimate_s(plan, counts),
                               sum(counts.values()) * plan["row_s"] + run.AFTER_ROUNDS_S)
        line = run.describe_plan(plan, counts)[0]
        self.assertRegex(line, r"^89 rows a round \(cpu 10, io 10, spawners 10, sweep 10, "
                               r"cpython 33, cpython-spawners 16\)")

    def test_full_counts_the_scaling_curve_for_cpython_but_not_for_the_spawners(self):
        counts = run.count_rows(run.PLANS["full"], 64, lambda flags: [])
        # n = 1, 2, 4, 8, ..., 128: 8 counts
        self.assertEqual(counts["cpython"], 2 * (1 + 2 * 8) + 3 * (1 + 2 * 8) + 3 * 6)
        self.assertEqual(counts["cpython-spawners"], 5 + 5 + 5 + 5 + 7)  # n = 2, 4


class SpawnersStepTest(unittest.TestCase):
    """The five workloads that start their own threads or processes: a gilbench step and a
    cpython-bench run of their own in the quick and full plans, at the plan's n."""

    def flags_of(self, plan, part, pus=64):
        return dict((p, f) for p, _, f in run.gilbench_steps(run.PLANS[plan], pus)).get(part)

    def test_gilbench_step(self):
        for plan, threads in (("quick", "2"), ("full", "2,4")):
            with self.subTest(plan=plan):
                self.assertEqual(self.flags_of(plan, "spawners"), [
                    "--workloads=factorize_class,bank,pipeline,pool,executor",
                    "--policies=py2,py3,fifo,prio,subinterp",
                    "--modes=seq,threads,processes,pool", "--threads=" + threads,
                    "--placements=os"])
        for plan in ("standard", "scaling"):
            self.assertIsNone(self.flags_of(plan, "spawners"))

    def test_cpython_steps(self):
        for plan, threads in (("quick", "2"), ("full", "2,4")):
            with self.subTest(plan=plan):
                steps = run.cpython_steps(run.PLANS[plan], 64)
                self.assertEqual([p for p, _, _ in steps], ["cpython", "cpython-spawners"])
                options = steps[1][2]
                self.assertEqual((options["workloads"], options["threads"]),
                                 (run.SPAWNERS, threads))
                self.assertNotIn("bank", steps[0][2]["workloads"])
        standard = run.cpython_steps(run.PLANS["standard"], 2)
        self.assertEqual([(p, o["workloads"]) for p, _, o in standard],
                         [("cpython", "countdown")])

    def test_a_quick_round_runs_them(self):
        steps, parts = RecordingSteps(), {}
        with tempfile.TemporaryDirectory() as out:
            run.round_steps(dict(run.PLANS["quick"]), out, 0, steps, parts)
        self.assertEqual(list(parts), ["cpu", "io", "spawners", "sweep", "cpython",
                                       "cpython-spawners"])
        gilbench = steps.commands[2]
        self.assertIn("--workloads=" + run.SPAWNERS, gilbench)
        self.assertIn("--benchmark_out=" + parts["spawners"][0][0], gilbench)
        cpython = steps.commands[5]
        self.assertEqual(cpython[cpython.index("--workloads") + 1], run.SPAWNERS)
        self.assertEqual(cpython[cpython.index("--threads") + 1], "2")
        self.assertEqual(cpython[cpython.index("--out") + 1], parts["cpython-spawners"][0][0])

    def test_their_parts_are_merged(self):
        with tempfile.TemporaryDirectory() as out:
            parts = {}
            for part, name in (("cpu", "countdown/py3/seq/1/os"),
                               ("spawners", "bank/py3/threads/2/os"),
                               ("cpython", "countdown/cpython/seq/1/os"),
                               ("cpython-spawners", "bank/cpython/threads/2/os")):
                path = os.path.join(out, "%s.0.part.json" % part)
                with open(path, "w") as f:
                    json.dump({"context": {}, "benchmarks": [row(name, 1.0, 0)]}, f)
                parts[part] = [(path, 0)]
            failures = []
            run.merge_results(out, parts, 1, failures)
            self.assertEqual(failures, [])
            merged = {}
            for dest in ("gilbench.json", "cpython.json"):
                with open(os.path.join(out, dest)) as f:
                    merged[dest] = [b["name"].split("/")[0] for b in json.load(f)["benchmarks"]]
        self.assertEqual(merged, {"gilbench.json": ["countdown", "bank"],
                                  "cpython.json": ["countdown", "bank"]})


class RecordingSteps:
    """Stands in for run.Steps: records the commands instead of running them."""

    def __init__(self):
        self.started = time.monotonic()
        self.commands = []
        self.failures = []

    def run(self, title, command, stdout=None, numbered=True, output=None):
        self.commands.append(command)
        return True


if __name__ == "__main__":
    try:
        import scipy  # noqa: F401
    except ImportError:
        print("scipy missing: skipped (scripts/setup installs python3-scipy)")
        sys.exit(77)
    unittest.main()
