#!/usr/bin/python3
"""Tests of scripts/bench-vm on small sizes: the JSON it writes (every run of every process, the
best-of-runs figure, paired ratios, targets), and that it refuses a runtime that gives a wrong
result or prints the wrong number of timings (exit 1, the runtime named). No timing asserts: the
machine may be a noisy 2-core VM.

    /usr/bin/python3 tests/scripts/bench_vm_test.py REPO GILVM
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.abspath(sys.argv.pop(1))
GILVM = os.path.abspath(sys.argv.pop(1))
DRIVER = os.path.join(REPO, "scripts", "bench-vm")
TIMEOUT_S = 300


def run_driver(*args):
    return subprocess.run([DRIVER, "--no-build", "--countdown-n", "1000", "--objects-rounds", "3"]
                          + list(args),
                          capture_output=True, text=True, timeout=TIMEOUT_S)


def fake_gilvm(directory, body):
    """An executable standing in for gilvm: a shell script printing `body`."""
    path = os.path.join(directory, "fake-gilvm")
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, 0o755)
    return path


class BenchVmTest(unittest.TestCase):
    def test_json_holds_every_run_and_the_best_of_each_process(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "bench.json")
            proc = run_driver("--gilvm", GILVM, "--reps", "2", "--runs", "3", "--json", out)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertIn("targets met:", proc.stdout)
            with open(out) as f:
                doc = json.load(f)
        self.assertEqual(doc["reps"], 2)
        self.assertEqual(doc["runs_per_process"], 3)
        self.assertEqual(set(doc["workloads"]), {"countdown", "factorize", "objects"})
        self.assertEqual(doc["workloads"]["objects"]["args"], ["3"])
        for name, w in doc["workloads"].items():
            for runtime in ("gilvm", "python3", "lua5.4"):
                runs = w["runs_s"][runtime]
                self.assertEqual([len(r) for r in runs], [3, 3], (name, runtime))
                self.assertEqual(w["times_s"][runtime], [min(r) for r in runs], (name, runtime))
            for other in ("python3", "lua5.4"):
                pairs = w["paired_ratios"][other]
                expected = [o / g for o, g in zip(w["times_s"][other], w["times_s"]["gilvm"])]
                self.assertEqual(len(pairs), 2)
                for got, want in zip(pairs, expected):
                    self.assertAlmostEqual(got, want)
            speedup = {"countdown": 5.0, "factorize": 5.0, "objects": 2.0}[name]
            self.assertEqual(w["target_python3_speedup"], speedup)
            self.assertEqual(w["target_python3_met"], w["ratio_python3_over_gilvm"] >= speedup)
            if name == "objects":  # the Lua ratio is reported, with no target
                self.assertIsNone(w["target_lua_speedup"])
                self.assertIsNone(w["target_lua_met"])
            else:
                self.assertEqual(w["target_lua_met"], w["ratio_lua_over_gilvm"] > 1)
            for runtime, best in w["best_s"].items():
                self.assertEqual(best, min(min(r) for r in w["runs_s"][runtime]))
            self.assertAlmostEqual(w["ratio_best_python3_over_gilvm"],
                                   w["best_s"]["python3"] / w["best_s"]["gilvm"])

    def test_a_wrong_result_stops_the_benchmark(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = fake_gilvm(tmp, 'echo "elapsed 0.001"\necho "result 12345"\n')
            proc = run_driver("--gilvm", fake, "--reps", "1", "--runs", "1")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("gilvm countdown gave a WRONG RESULT: 12345, expected 0", proc.stderr)

    def test_too_few_timings_stop_the_benchmark(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = fake_gilvm(tmp, 'echo "elapsed 0.001"\necho "result 0"\n')
            proc = run_driver("--gilvm", fake, "--reps", "1", "--runs", "2")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("did not print 2 'elapsed' lines", proc.stderr)

    def test_objects_result_is_checked_against_the_reference(self):
        # The fake prints countdown's right result, so the run gets as far as objects, whose
        # checksum for 3 rounds (objects_reference) is not 0.
        with tempfile.TemporaryDirectory() as tmp:
            fake = fake_gilvm(tmp, 'case "$1" in\n'
                                   '  *factorize.py) exec /usr/bin/python3 "$@" ;;\n'
                                   'esac\n'
                                   'echo "elapsed 0.001"\necho "result 0"\n')
            proc = run_driver("--gilvm", fake, "--reps", "1", "--runs", "1")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("gilvm objects gave a WRONG RESULT: 0, expected ", proc.stderr)

    def test_bad_flags_exit_2(self):
        for flags in (["--runs", "0"], ["--reps", "0"], ["--objects-rounds", "-1"]):
            proc = run_driver("--gilvm", GILVM, *flags)
            self.assertEqual(proc.returncode, 2, flags)


if __name__ == "__main__":
    unittest.main()
