#!/usr/bin/python3
"""Tests of scripts/compare, both modes.

Unpaired mode, on fixture pairs (fixtures/compare/, made by make_fixtures.py): base.json is a real
gilbench run (5 repetitions) whose py2 rows swing (CV 32% and 8%: unstable, not judged); steady.json
is the same run with every row's spread tightened to a 2% CV. Each other file moves one benchmark:
regression (of base: 30%+ slower on every repetition), improvement (of steady: 30%+ faster),
noise (of steady: median 6% up, samples overlapping, p >= 0.05), single_a/single_b (one
repetition, 20% slower), other_machine (steady's times, another host, CPU, compiler, revision).
Machine states are written by the tests into run directories.

Paired mode: the judgement on synthetic ratios (stats.estimate + paired_verdict), the round
order, the command line, and one end-to-end run of a real build against itself
(CompareAbTest; the build directory comes from GILBENCH_BUILD_DIR, else build/release).

Run: /usr/bin/python3 tests/scripts/compare_test.py [TestCase] (or ctest -R '^compare\\.').
Exits 77 (ctest: skipped) when scipy is missing; CompareAbTest skips without a built gilbench.
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
COMPARE = os.path.join(REPO, "scripts", "compare")
PAIRS = os.path.join(HERE, "fixtures", "compare")
BUILD_DIR = os.environ.get("GILBENCH_BUILD_DIR") or os.path.join(REPO, "build", "release")

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(REPO, "scripts"))
from reporting import compare, runs, stats  # noqa: E402

SWINGING = ("countdown/py2/seq/1/os/real_time", "countdown/py2/threads/2/os/real_time")
# Values a hand-edited or cut-off file may hold where a number belongs, and how messages name them.
BAD_VALUES = ((float("nan"), "NaN"), (float("inf"), "Infinity"), (float("-inf"), "-Infinity"),
              (None, "null"), ("12.5", 'the string "12.5"'), ([1.0], "a list"),
              ({"ms": 1.0}, "an object"), (True, "the boolean true"))


def fixture(name):
    return os.path.join(PAIRS, name + ".json")


def run_compare(*args):
    return subprocess.run([COMPARE, *args], capture_output=True, text=True, timeout=100)


def row_of(output, benchmark):
    """The table row of a benchmark in the times table."""
    for line in output.splitlines():
        if line.startswith("| %s |" % benchmark):
            return line
    raise AssertionError("no row for %s in:\n%s" % (benchmark, output))


def cells(row):
    return [c.strip() for c in row.strip().strip("|").split("|")]


class CompareVerdictTest(unittest.TestCase):
    def test_unstable_rows_not_judged_exit_3(self):
        """The real run against itself: its two swinging rows are refused, not called same."""
        result = run_compare(fixture("base"), fixture("base"))
        self.assertEqual(result.returncode, 3, result.stdout + result.stderr)
        for name in SWINGING:
            self.assertIn("unstable: not judged", row_of(result.stdout, name))
        row = cells(row_of(result.stdout, "countdown/py2/seq/1/os/real_time"))
        self.assertEqual(row[3:5], ["32.4%", "32.4%"])  # CV A, CV B
        self.assertIn("same (within 5%)", row_of(result.stdout, "countdown/py3/seq/1/os/real_time"))
        self.assertIn("**Result: inconclusive**", result.stdout)
        self.assertIn("2 unstable", result.stdout)

    def test_regression_outranks_unstable_exit_1(self):
        result = run_compare(fixture("base"), fixture("regression"))
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        row = row_of(result.stdout, "countdown/py3/threads/2/os/real_time")
        self.assertIn("**slower** (regression)", row)
        for name in SWINGING:
            self.assertIn("unstable: not judged", row_of(result.stdout, name))
        self.assertIn("**Result: regression** — 1 benchmark slower beyond 5%: "
                      "`countdown/py3/threads/2/os/real_time`", result.stdout)
        # The counter that moved with it is listed.
        self.assertIn("| countdown/py3/threads/2/os/real_time | gil_handoffs |", result.stdout)

    def test_identical_steady_exit_0(self):
        result = run_compare(fixture("steady"), fixture("steady"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Same context", result.stdout)
        self.assertIn("Same machine state", result.stdout)
        self.assertIn("**Result: no regression**", result.stdout)
        self.assertIn("4 compared: 0 slower, 0 faster, 0 noise, 4 same, 0 unstable, 0 not judged",
                      result.stdout)

    def test_improvement_exits_0(self):
        result = run_compare(fixture("steady"), fixture("improvement"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("faster (improvement)",
                      row_of(result.stdout, "countdown/py2/threads/2/os/real_time"))
        self.assertIn("**Result: no regression**", result.stdout)

    def test_noise_is_labelled_and_exits_0(self):
        result = run_compare(fixture("steady"), fixture("noise"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        row = row_of(result.stdout, "countdown/py3/seq/1/os/real_time")
        self.assertIn("noise (slower, but p ≥ 0.05)", row)
        self.assertIn("1 noise", result.stdout)

    def test_no_repetitions_not_judged_exit_3(self):
        """One repetition has no noise to weigh a change against: not a regression."""
        result = run_compare(fixture("single_a"), fixture("single_b"))
        self.assertEqual(result.returncode, 3, result.stdout + result.stderr)
        row = row_of(result.stdout, "countdown/py2/threads/2/os/real_time")
        self.assertIn("not judged: no repetitions", row)
        self.assertIn("same (within 5%)", row_of(result.stdout, "countdown/py3/seq/1/os/real_time"))

    def test_threshold_option(self):
        """30% slower is within a 60% threshold, and 60% lets the 32% CV row be judged; both
        spellings of the option work."""
        for args in (["--threshold", "60%"], ["--threshold=60"]):
            result = run_compare(fixture("base"), fixture("regression"), *args)
            self.assertEqual(result.returncode, 0, result.stdout)
            self.assertIn("same (within 60%)",
                          row_of(result.stdout, "countdown/py3/threads/2/os/real_time"))

    def test_different_machines_listed(self):
        result = run_compare(fixture("steady"), fixture("other_machine"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("**A and B come from different machines**", result.stdout)
        for key in ("host_name", "num_cpus", "cpu_model", "compiler", "git_revision",
                    "topology_cores"):
            self.assertIn("| %s |" % key, result.stdout)
        self.assertIn("| cpu_model | (absent) | AMD EPYC 7B13 |", result.stdout)
        # The clock is the machine's state: listed there, and it makes the states differ.
        self.assertIn("| mhz_per_cpu | 2300 | 2450 |", result.stdout)
        self.assertIn("**A and B were measured in different machine states**", result.stdout)


class CompareStateTest(unittest.TestCase):
    """Machine state: gilbench's context keys and scripts/reproduce's machine_state.json."""

    STATE = {"cpus": 2, "load_avg_1m": 0.1, "busy_fraction": 0.01, "governor": "n/a",
             "turbo": "unknown", "smt": "off", "hypervisor": "yes (KVM)", "isolcpus": "none",
             "state": "quiet"}

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="compare_test_")
        self.addCleanup(shutil.rmtree, self.tmp)

    def run_dir(self, name, load_avg=None, state=None):
        """A run directory holding steady.json's results (load_avg in its context replaced) and
        machine_state.json when `state` is given."""
        path = os.path.join(self.tmp, name)
        os.mkdir(path)
        with open(fixture("steady")) as f:
            data = json.load(f)
        if load_avg is not None:
            data["context"]["load_avg"] = load_avg
        with open(os.path.join(path, "gilbench.json"), "w") as f:
            json.dump(data, f)
        if state is not None:
            with open(os.path.join(path, "machine_state.json"), "w") as f:
                json.dump(state, f)
        return path

    def test_machine_state_keys_that_differ_listed(self):
        a = self.run_dir("a", state=self.STATE)
        b = self.run_dir("b", state=dict(self.STATE, load_avg_1m=1.9, governor="powersave",
                                         busy_fraction=0.3, extra_key="new"))
        result = run_compare(a, b)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        out = result.stdout
        self.assertIn("**A and B were measured in different machine states**", out)
        self.assertIn("1-minute load 0.10 against 1.90 (load_avg_1m)", out)
        self.assertIn("machine_state.governor n/a against powersave", out)
        for key, va, vb in (("load_avg_1m", "0.1", "1.9"), ("governor", "n/a", "powersave"),
                            ("busy_fraction", "0.01", "0.3"), ("extra_key", "(absent)", "new")):
            self.assertIn("| machine_state.%s | %s | %s |" % (key, va, vb), out)
        self.assertNotIn("machine_state.smt", out)  # equal keys are not listed

    def test_context_load_avg_list(self):
        """gilbench writes load_avg as [1, 5, 15 min]: the 1-minute figure decides."""
        a = self.run_dir("a", load_avg=[0.2, 0.9, 0.9])
        b = self.run_dir("b", load_avg=[1.5, 0.9, 0.9])
        result = run_compare(a, b)
        self.assertIn("1-minute load 0.20 against 1.50 (load_avg)", result.stdout)
        self.assertIn("| load_avg | [0.2, 0.9, 0.9] | [1.5, 0.9, 0.9] |", result.stdout)

    def test_small_load_difference_and_other_keys_are_same_state(self):
        a = self.run_dir("a", load_avg=[0.2, 0.9, 0.9], state=self.STATE)
        b = self.run_dir("b", load_avg=[0.6, 0.9, 0.9],
                         state=dict(self.STATE, busy_fraction=0.05, load_avg_1m=0.5))
        result = run_compare(a, b)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Same machine state", result.stdout)
        self.assertIn("| machine_state.busy_fraction | 0.01 | 0.05 |", result.stdout)

    def test_machine_state_on_one_side(self):
        result = run_compare(self.run_dir("a"), self.run_dir("b", state=self.STATE))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Only B has a machine_state.json", result.stdout)

    def test_broken_machine_state_exits_2(self):
        b = self.run_dir("b")
        with open(os.path.join(b, "machine_state.json"), "w") as f:
            f.write("[1, 2]")
        result = run_compare(self.run_dir("a"), b)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("machine_state.json: not a JSON object", result.stderr)


class CompareInputTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="compare_test_")
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_run_directory_and_only_in_one(self):
        run_dir = os.path.join(self.tmp, "run")
        os.mkdir(run_dir)
        with open(fixture("steady")) as f:
            data = json.load(f)
        gone = "countdown/py2/seq/1/os/real_time"
        data["benchmarks"] = [r for r in data["benchmarks"] if r["run_name"] != gone]
        with open(os.path.join(run_dir, "gilbench.json"), "w") as f:
            json.dump(data, f)
        result = run_compare(fixture("steady"), run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Only in A: `%s`." % gone, result.stdout)
        self.assertIn("Only in B: none.", result.stdout)

    def test_failed_on_one_side(self):
        with open(fixture("steady")) as f:
            data = json.load(f)
        name = "countdown/py3/threads/2/os/real_time"
        for row in data["benchmarks"]:
            if row["run_name"] == name and row["run_type"] == "iteration":
                row.update(error_occurred=True, error_message="wrong checksum", real_time=0.0)
        data["benchmarks"] = [r for r in data["benchmarks"]
                              if not (r["run_name"] == name and r["run_type"] == "aggregate")]
        path = os.path.join(self.tmp, "failed.json")
        with open(path, "w") as f:
            json.dump(data, f)
        result = run_compare(fixture("steady"), path)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no timing in B: wrong checksum", row_of(result.stdout, name))

    def test_bad_usage_exits_2(self):
        base = fixture("base")
        for args in ([], [base], [base, base, base], [base, base, "--threshold"],
                     [base, base, "--threshold", "abc"], [base, base, "--threshold", "-5%"],
                     [base, base, "--bogus"], [base, base, "--rounds", "4"],
                     [base, base, "--", "--size=tiny"], ["--ab", base],
                     ["--ab", self.tmp, self.tmp],  # no bin/gilbench
                     ["--ab", REPO, REPO, "--rounds", "2"],
                     ["--ab", REPO, REPO, "--", "--benchmark_out=x.json"]):
            result = run_compare(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("usage: scripts/compare", result.stderr)

    def test_unreadable_input_exits_2(self):
        bad = os.path.join(self.tmp, "bad.json")
        with open(bad, "w") as f:
            f.write("{oops")
        for other in (bad, os.path.join(self.tmp, "missing.json"), self.tmp):
            result = run_compare(fixture("base"), other)
            self.assertEqual(result.returncode, 2, other)
            self.assertIn("scripts/compare:", result.stderr)

    def write(self, data, name="b.json"):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump(data, f)  # NaN and Infinity as Google Benchmark writes them
        return path

    def steady_with(self, change):
        """steady.json with change(row) applied to every row."""
        with open(fixture("steady")) as f:
            data = json.load(f)
        for row in data["benchmarks"]:
            change(row)
        return data

    def assert_bad_input(self, result, *texts):
        """Exit 2 with one line on stderr that holds texts, nothing on stdout, no traceback."""
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("scripts/compare: "), lines[0])
        for text in texts:
            self.assertIn(text, lines[0])

    def test_unusable_time_exits_2(self):
        """A time that is NaN, Infinity, null, a string, a list, an object or a boolean is bad
        input: never a regression (1), never "no regression" (0)."""
        name = "countdown/py3/seq/1/os/real_time"
        for value, words in BAD_VALUES:
            with self.subTest(value=value):
                def change(row):
                    if row["run_name"] == name and row["run_type"] == "iteration":
                        row["real_time"] = value
                path = self.write(self.steady_with(change))
                for args in ((fixture("steady"), path), (path, fixture("steady"))):
                    self.assert_bad_input(run_compare(*args), path,
                                          "real_time is %s, not a time (`%s` ×5)" % (words, name))

    def test_unusable_counter_unit_type_and_name_exit_2(self):
        for key, value, text in (
                ("gil_handoffs", "many", 'gil_handoffs is the string "many", not a number'),
                ("gil_handoffs", float("nan"), "gil_handoffs is NaN, not a number"),
                ("time_unit", ["ms"], "time_unit is a list, not ns, us, ms or s"),
                ("run_type", "other", 'run_type is the string "other"'),
                ("run_name", 7, "run_name is the number 7, not a name")):
            with self.subTest(key=key, value=value):
                path = self.write(self.steady_with(lambda row: row.update({key: value})))
                self.assert_bad_input(run_compare(fixture("steady"), path), text)

    def test_nan_in_an_aggregate_spread_is_not_a_problem(self):
        """Google Benchmark writes NaN for the _cv of a counter that stayed at 0."""
        def change(row):
            if row.get("aggregate_name") == "cv":
                row["gil_futile_wakeups"] = float("nan")
        result = run_compare(fixture("steady"), self.write(self.steady_with(change)))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_unusable_context_value_exits_2(self):
        for key, value, text in (("cxx_flags", ["-O2"], "cxx_flags is a list, not text"),
                                 ("num_cpus", "two", 'num_cpus is the string "two", not a number'),
                                 ("load_avg", float("nan"), "load_avg is NaN, not a list of"),
                                 ("caches", [1], "caches is a list, not a list of caches")):
            with self.subTest(key=key):
                data = self.steady_with(lambda row: None)
                data["context"][key] = value
                self.assert_bad_input(run_compare(fixture("steady"), self.write(data)), text,
                                      "(`context`)")
        data = self.steady_with(lambda row: None)
        data["context"] = ["not", "an", "object"]
        self.assert_bad_input(run_compare(fixture("steady"), self.write(data)),
                              "the context is a list, not an object")

    def test_entries_that_are_not_objects_exit_2(self):
        data = self.steady_with(lambda row: None)
        data["benchmarks"] += [1, "row", None, ["a"]]
        self.assert_bad_input(run_compare(fixture("steady"), self.write(data)),
                              "an entry is the number 1, not an object (`benchmarks[36]`)",
                              'an entry is the string "row"', "an entry is null",
                              "and 1 more kind of problem")
        self.assert_bad_input(run_compare(fixture("steady"), self.write({"benchmarks": [1, 2]})),
                              "not an object")

    def test_no_shared_benchmark_exits_2(self):
        def rename(row):
            for key in ("name", "run_name"):
                row[key] = row[key].replace("countdown/", "factorize/")
        path = self.write(self.steady_with(rename))
        self.assert_bad_input(run_compare(fixture("steady"), path),
                              "share no benchmark (A has 4, B 4): nothing to compare")
        empty = self.write({"context": {}, "benchmarks": []}, "empty.json")
        self.assert_bad_input(run_compare(empty, empty), "share no benchmark (A has 0, B 0)")

    def test_no_benchmark_timed_on_both_sides_exits_2(self):
        def fail(row):
            row.update(error_occurred=True, error_message="wrong checksum", real_time=0.0)
        path = self.write(self.steady_with(fail))
        self.assert_bad_input(run_compare(fixture("steady"), path),
                              "no benchmark has a timing in both")

    def test_help_documents_both_modes_and_exit_statuses(self):
        result = run_compare("--help")
        self.assertEqual(result.returncode, 0)
        for text in ("--ab BASELINE_BUILD CANDIDATE_BUILD", "--rounds", "3  inconclusive",
                     "1  regression", "2  bad input"):
            self.assertIn(text, result.stdout)


class CompareUnitTest(unittest.TestCase):
    def test_parse_threshold(self):
        self.assertAlmostEqual(compare.parse_threshold("5%"), 0.05)
        self.assertAlmostEqual(compare.parse_threshold("2.5"), 0.025)
        with self.assertRaises(compare.UsageError):
            compare.parse_threshold("0%")

    def test_parse_args(self):
        args = compare.parse_args(["--ab", "a", "b", "--rounds=6", "--threshold", "3%", "--",
                                   "--size=tiny", "--modes=seq"])
        self.assertEqual((args.ab, args.paths, args.rounds, args.gilbench_flags),
                         (True, ["a", "b"], 6, ["--size=tiny", "--modes=seq"]))
        self.assertAlmostEqual(args.threshold, 0.03)
        args = compare.parse_args(["--ab", "a", "b"])
        self.assertEqual((args.rounds, args.gilbench_flags, args.keep),
                         (compare.DEFAULT_ROUNDS, list(compare.DEFAULT_GILBENCH_FLAGS), None))
        self.assertEqual(compare.parse_args(["--ab", "a", "b", "--keep", "k"]).keep, "k")
        with self.assertRaises(compare.UsageError):
            compare.parse_args(["a", "b", "--keep=k"])  # only the paired mode measures

    def test_smallest_p(self):
        self.assertAlmostEqual(compare.smallest_p(3, 3), 0.1)
        self.assertLess(compare.smallest_p(5, 5), 0.05)

    def test_judge(self):
        a = [10.0, 10.1, 10.2, 9.9, 10.0]
        self.assertEqual(compare.judge(a, [x * 1.3 for x in a], 0.05).verdict, compare.SLOWER)
        self.assertEqual(compare.judge(a, [x * 0.7 for x in a], 0.05).verdict, compare.FASTER)
        self.assertEqual(compare.judge(a, [x * 1.02 for x in a], 0.05).verdict, compare.SAME)
        j = compare.judge(a, [x * 1.3 for x in a], 0.05, (0.01, 0.08))
        self.assertEqual((j.verdict, j.why), (compare.UNSTABLE, "CV 8% > 5%"))
        j = compare.judge([10.0], [12.0], 0.05)
        self.assertEqual((j.verdict, j.why), (compare.UNTESTED, "no repetitions"))
        j = compare.judge([10.0], [12.0, 12.1, 11.9], 0.05)
        self.assertEqual(j.why, "too few repetitions (A 1, B 3)")

    def test_exit_status(self):
        s = compare
        self.assertEqual(s.exit_status([s.SAME, s.NO_CHANGE, s.FASTER, s.NOISE]), 0)
        self.assertEqual(s.exit_status([s.SAME, s.UNSTABLE]), 3)
        self.assertEqual(s.exit_status([s.UNTESTED]), 3)
        self.assertEqual(s.exit_status([s.UNSTABLE, s.SLOWER, s.UNTESTED]), 1)
        self.assertEqual(s.exit_status([]), 0)

    def test_state_differences(self):
        rows, reasons = compare.state_differences(
            {"load_avg": [0.3, 1, 1], "mhz_per_cpu": 2300}, {"load_avg": [0.7, 1, 1],
                                                             "mhz_per_cpu": 2300})
        self.assertEqual((len(rows), reasons), (1, []))  # 0.4 apart: the same state
        rows, reasons = compare.state_differences({"cpu_scaling_enabled": False},
                                                  {"cpu_scaling_enabled": True})
        self.assertEqual(reasons, ["cpu_scaling_enabled False against True"])


class ComparePairedTest(unittest.TestCase):
    """The paired judgement on synthetic ratios, as --ab makes them (one per round)."""

    @staticmethod
    def ratios(centre, noise, rounds=10, seed=1):
        rng = random.Random(seed)
        return [centre * (1 + rng.gauss(0, noise)) for _ in range(rounds)]

    def verdict(self, ratios, threshold=0.05):
        return compare.paired_verdict(stats.estimate(ratios), threshold)

    def test_clear_slowdown_is_slower(self):
        self.assertEqual(self.verdict(self.ratios(1.10, 0.01)), (compare.SLOWER, ""))

    def test_clear_speedup_is_faster(self):
        self.assertEqual(self.verdict(self.ratios(0.85, 0.01)), (compare.FASTER, ""))

    def test_no_change_with_small_noise(self):
        self.assertEqual(self.verdict(self.ratios(1.00, 0.02)), (compare.NO_CHANGE, ""))

    def test_very_noisy_is_unstable(self):
        verdict, why = self.verdict(self.ratios(1.00, 0.30))
        self.assertEqual(verdict, compare.UNSTABLE)
        self.assertRegex(why, r"^interval \d+(\.\d+)?% wide > 10%$")

    def test_wide_interval_beyond_the_threshold_is_still_a_regression(self):
        """A 50% slowdown in 10% noise: the interval is wide, but wholly above 1.05; only "no
        change" needs a narrow interval."""
        estimate = stats.estimate(self.ratios(1.5, 0.10))
        self.assertGreater(estimate.low, 1.05)
        self.assertGreater(estimate.high - estimate.low, 0.10)
        self.assertEqual(compare.paired_verdict(estimate, 0.05)[0], compare.SLOWER)
        self.assertEqual(self.verdict(self.ratios(1.5, 0.01))[0], compare.SLOWER)

    def test_too_few_rounds_not_judged(self):
        self.assertEqual(self.verdict([1.2, 1.2]),
                         (compare.UNTESTED, "2 rounds with a timing on both sides"))
        self.assertEqual(compare.paired_verdict(None, 0.05),
                         (compare.UNTESTED, "0 rounds with a timing on both sides"))

    def test_round_order_is_abba(self):
        order = [compare.round_order(i)[0][0] for i in range(4)]
        self.assertEqual(order, ["b", "c", "b", "c"])  # baseline, candidate, baseline, ...
        self.assertEqual([s[0] for i in range(2) for s in compare.round_order(i)],
                         ["b", "c", "c", "b"])

    def test_ab_with_nothing_timed_in_both_builds_is_bad_input(self):
        """Both builds ran, but no row has a timing in both in any round: not "no regression"."""
        def run_file(reason):
            run = runs.Run("x", None)
            run.errors.append(reason)
            return runs.RunFile("x.json", {}, {"x": run})
        files = {"baseline": [run_file("wrong checksum")] * 3,
                 "candidate": [run_file("wrong checksum")] * 3}
        args = compare.parse_args(["--ab", "a", "b", "--rounds", "3"])
        with mock.patch.object(compare, "gilbench_of", lambda path: path), \
                mock.patch.object(compare.machine_state, "probe", lambda *a, **k: {}), \
                mock.patch.object(compare, "measure_ab", lambda *a: files):
            with self.assertRaisesRegex(compare.NothingToCompare, "no benchmark has a timing in "
                                                                  "both builds in any round"):
                compare.build_ab(args, lambda message: None)

    def test_ab_refuses_results_with_unusable_values(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = os.path.join(tmp, "gilbench")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\nfor a; do case $a in --benchmark_out=*) printf '%s' "
                        "'{\"benchmarks\": [{\"name\": \"x\", \"real_time\": NaN}]}' "
                        "> \"${a#*=}\";; esac; done\n")
            os.chmod(fake, 0o755)
            with self.assertRaisesRegex(compare.AbError, "exited 0 but wrote no usable results: "
                                        ".*real_time is NaN, not a time"):
                compare.run_gilbench(fake, [], os.path.join(tmp, "out.json"))

    def test_paired_rows_pair_within_rounds(self):
        """A machine twice as fast in round 2 changes nothing: each ratio is within its round."""
        def run_file(times):
            f = type("F", (), {})()
            f.runs = {}
            for name, t in times.items():
                run = compare.runs.Run(name, None)
                run.samples.append({compare.runs.TIME: t})
                f.runs[name] = run
            return f
        base = [run_file({"x": t}) for t in (1.0, 0.5, 1.0, 0.5)]
        cand = [run_file({"x": t * 1.1, "new": 1.0}) for t in (1.0, 0.5, 1.0, 0.5)]
        rows, only_base, only_cand = compare.paired_rows(base, cand, 0.05)
        self.assertEqual((only_base, only_cand), ([], ["new"]))
        self.assertEqual(rows[0].verdict, compare.SLOWER)
        self.assertAlmostEqual(rows[0].estimate.ratio, 1.1)


@unittest.skipUnless(os.access(os.path.join(BUILD_DIR, "bin", "gilbench"), os.X_OK),
                     "no gilbench in %s (build it, or set GILBENCH_BUILD_DIR)" % BUILD_DIR)
class CompareAbTest(unittest.TestCase):
    """scripts/compare --ab end to end: a build against itself, tiny size, 3 rounds."""

    def test_same_build_is_no_regression(self):
        started = time.monotonic()
        keep = tempfile.mkdtemp(prefix="compare-keep-")
        self.addCleanup(shutil.rmtree, keep)
        result = subprocess.run(
            [COMPARE, "--ab", BUILD_DIR, BUILD_DIR, "--rounds", "3", "--keep", keep, "--",
             "--size=tiny", "--workloads=countdown", "--policies=py3", "--modes=seq",
             "--placements=os"],
            capture_output=True, text=True, timeout=60)
        self.assertIn(result.returncode, (0, 3), result.stdout + result.stderr)
        self.assertLess(time.monotonic() - started, 30)
        out = result.stdout
        self.assertIn("| benchmark | baseline median | candidate median | paired ratio "
                      "[95% interval] | CV of ratios | verdict |", out)
        rows = [cells(line) for line in out.splitlines() if line.startswith("| countdown/")]
        self.assertEqual(len(rows), 1, out)
        name, base, cand, ratio, cv, verdict = rows[0]
        self.assertTrue(name.startswith("countdown/py3/seq/1/os"), name)
        for time_text in (base, cand):
            self.assertRegex(time_text, r"^[\d.,]+ (s|ms|µs|ns)$")
        self.assertRegex(ratio, r"^\d\.\d{3} \[\d\.\d{3}–\d\.\d{3}\]$")
        self.assertRegex(cv, r"%$")
        self.assertRegex(verdict, r"^(no change|faster \(improvement\)|unstable: not judged)")
        self.assertRegex(out, r"Load average \(1, 5, 15 min\) before: [\d.]+, [\d.]+, [\d.]+; "
                              r"after: [\d.]+, [\d.]+, [\d.]+\.")
        self.assertIn("Same context (machine, build, knobs) in baseline and candidate.", out)
        # Progress and the time left on stderr, one line per round.
        self.assertEqual(len(re.findall(r"round \d/3 done .* left", result.stderr)), 3,
                         result.stderr)
        # --keep: every round's JSON of both builds stays, each a gilbench file.
        kept = sorted(n for n in os.listdir(keep) if n.endswith(".json"))
        self.assertEqual(kept, ["%s-%d.json" % (side, i) for side in ("baseline", "candidate")
                                for i in range(3)])
        for name in kept:
            self.assertTrue(runs.load(os.path.join(keep, name)).runs, name)

    def test_failing_gilbench_exits_2(self):
        result = subprocess.run([COMPARE, "--ab", BUILD_DIR, BUILD_DIR, "--rounds", "3", "--",
                                 "--size=tiny", "--workloads=nonesuch"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("baseline build, round 1:", result.stderr)
        self.assertIn("exited with status", result.stderr)


if __name__ == "__main__":
    try:
        import scipy  # noqa: F401
    except ImportError as e:
        print("SKIP: %s (scripts/setup installs python3-scipy)" % e)
        sys.exit(77)
    unittest.main()
