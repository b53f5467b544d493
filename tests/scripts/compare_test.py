#!/usr/bin/python3
"""Tests of scripts/compare on fixture pairs (fixtures/compare/, made by make_fixtures.py).

base.json is a real gilbench run (5 repetitions); each other file moves one benchmark:
regression (30%+ slower on every repetition), improvement (30%+ faster), noise (median 15% up,
samples overlapping), single_a/single_b (one repetition, 20% slower), other_machine (same times,
another host, CPU, compiler and revision).

Run: /usr/bin/python3 tests/scripts/compare_test.py (or ctest -R '^compare\\.').
Exits 77 (ctest: skipped) when scipy is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
COMPARE = os.path.join(REPO, "scripts", "compare")
PAIRS = os.path.join(HERE, "fixtures", "compare")

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(REPO, "scripts"))
from reporting import compare  # noqa: E402


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


class CompareVerdictTest(unittest.TestCase):
    def test_regression_exits_1(self):
        result = run_compare(fixture("base"), fixture("regression"))
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        row = row_of(result.stdout, "countdown/py3/threads/2/os/real_time")
        self.assertIn("**slower** (regression)", row)
        self.assertNotIn("threshold only", row)
        self.assertIn("**Result: regression** — 1 benchmark slower beyond 5%: "
                      "`countdown/py3/threads/2/os/real_time`", result.stdout)
        # The counter that moved with it is listed.
        self.assertIn("| countdown/py3/threads/2/os/real_time | gil_handoffs |", result.stdout)

    def test_improvement_exits_0(self):
        result = run_compare(fixture("base"), fixture("improvement"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("faster (improvement)",
                      row_of(result.stdout, "countdown/py2/threads/2/os/real_time"))
        self.assertIn("**Result: no regression**", result.stdout)

    def test_noise_is_labelled_and_exits_0(self):
        result = run_compare(fixture("base"), fixture("noise"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        row = row_of(result.stdout, "countdown/py3/seq/1/os/real_time")
        self.assertIn("noise (slower, but p ≥ 0.05)", row)
        self.assertIn("1 noise", result.stdout)

    def test_no_repetitions_threshold_only(self):
        result = run_compare(fixture("single_a"), fixture("single_b"))
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        row = row_of(result.stdout, "countdown/py2/threads/2/os/real_time")
        self.assertIn("**slower** (regression); no repetitions: threshold only", row)
        self.assertIn("Judged on the threshold alone (no repetitions)", result.stdout)

    def test_threshold_option(self):
        """30% slower is within a 60% threshold; both spellings of the option work."""
        for args in (["--threshold", "60%"], ["--threshold=60"]):
            result = run_compare(fixture("base"), fixture("regression"), *args)
            self.assertEqual(result.returncode, 0, result.stdout)
            self.assertIn("same (within 60%)",
                          row_of(result.stdout, "countdown/py3/threads/2/os/real_time"))

    def test_different_machines_listed(self):
        result = run_compare(fixture("base"), fixture("other_machine"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("**A and B come from different machines**", result.stdout)
        for key in ("host_name", "num_cpus", "cpu_model", "mhz_per_cpu", "compiler",
                    "git_revision", "topology_cores"):
            self.assertIn("| %s |" % key, result.stdout)
        self.assertIn("| cpu_model | (absent) | AMD EPYC 7B13 |", result.stdout)

    def test_same_file(self):
        result = run_compare(fixture("base"), fixture("base"))
        self.assertEqual(result.returncode, 0)
        self.assertIn("Same context", result.stdout)
        self.assertIn("0 slower, 0 faster, 0 noise", result.stdout)


class CompareInputTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="compare_test_")
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_run_directory_and_only_in_one(self):
        run_dir = os.path.join(self.tmp, "run")
        os.mkdir(run_dir)
        with open(fixture("base")) as f:
            data = json.load(f)
        gone = "countdown/py2/seq/1/os/real_time"
        data["benchmarks"] = [r for r in data["benchmarks"] if r["run_name"] != gone]
        with open(os.path.join(run_dir, "gilbench.json"), "w") as f:
            json.dump(data, f)
        result = run_compare(fixture("base"), run_dir)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Only in A: `%s`." % gone, result.stdout)
        self.assertIn("Only in B: none.", result.stdout)

    def test_failed_on_one_side(self):
        with open(fixture("base")) as f:
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
        result = run_compare(fixture("base"), path)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no timing in B: wrong checksum", row_of(result.stdout, name))

    def test_bad_usage_exits_2(self):
        base = fixture("base")
        for args in ([], [base], [base, base, base], [base, base, "--threshold"],
                     [base, base, "--threshold", "abc"], [base, base, "--threshold", "-5%"],
                     [base, base, "--bogus"]):
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


class CompareUnitTest(unittest.TestCase):
    def test_parse_threshold(self):
        self.assertAlmostEqual(compare.parse_threshold("5%"), 0.05)
        self.assertAlmostEqual(compare.parse_threshold("2.5"), 0.025)
        with self.assertRaises(compare.UsageError):
            compare.parse_threshold("0%")

    def test_smallest_p(self):
        self.assertAlmostEqual(compare.smallest_p(3, 3), 0.1)
        self.assertLess(compare.smallest_p(5, 5), 0.05)

    def test_judge(self):
        a = [10.0, 10.1, 10.2, 9.9, 10.0]
        self.assertEqual(compare.judge(a, [x * 1.3 for x in a], 0.05).verdict, "slower")
        self.assertEqual(compare.judge(a, [x * 0.7 for x in a], 0.05).verdict, "faster")
        self.assertEqual(compare.judge(a, [x * 1.02 for x in a], 0.05).verdict, "same")
        j = compare.judge([10.0], [12.0], 0.05)
        self.assertEqual((j.verdict, j.threshold_only, j.why_untested),
                         ("slower", True, "no repetitions"))
        j = compare.judge([10.0], [12.0, 12.1, 11.9], 0.05)
        self.assertEqual(j.why_untested, "too few repetitions (A 1, B 3)")


if __name__ == "__main__":
    try:
        import scipy  # noqa: F401
    except ImportError as e:
        print("SKIP: %s (scripts/setup installs python3-scipy)" % e)
        sys.exit(77)
    unittest.main()
