#!/usr/bin/python3
"""Tests of scripts/reproduction/run.py stopped by Ctrl-C (SIGINT) or SIGTERM, without measuring.

run.main runs a two-round plan whose programs are stand-ins (FAKE below, in place of gilbench,
gilvm, cpython-bench and scripts/report). Each writes a whole part at once, except the one that
FAKE_STOP names: it writes half of its part (as a step killed mid-write leaves it), then sends
this process the signal and sleeps, or exits 1. The run must end that step, remove its half part,
merge the whole parts into gilbench.json and cpython.json, record what is missing in
missing_steps.json and exit with 128 + the signal, leaving no process behind. A second or so.

    /usr/bin/python3 tests/scripts/reproduce_interrupt_test.py
"""

import contextlib
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.join(REPO, "scripts", "reproduction"))
import run  # noqa: E402
from reporting import missing_steps  # noqa: E402

# FAKE_STOP=PART:ACTION picks the step by the part it writes; ACTION is the signal it sends
# (SIGINT, SIGTERM; SIGINT-stubborn also ignores SIGTERM, so only SIGKILL ends it) or `fail`.
# Every stand-in writes its pid into FAKE_PIDS.
FAKE = r'''#!/usr/bin/python3
import json, os, signal, sys, time
args = sys.argv[1:]
out = [a.split("=", 1)[1] for a in args if a.startswith(("--benchmark_out=", "--trace="))]
out = out[0] if out else args[args.index("--out") + 1] if "--out" in args else None
with open(os.environ["FAKE_PIDS"], "a") as f:
    f.write("%d\n" % os.getpid())
policy = "cpython" if sys.argv[0].endswith("cpython-bench") else "py3"
rows = [{"name": "countdown/%s/%s/os" % (policy, mode), "run_type": "iteration",
         "iterations": 1, "real_time": ms, "time_unit": "ms"}
        for mode, ms in (("seq/1", 100.0), ("threads/2", 150.0))]
text = json.dumps({"context": {}, "benchmarks": rows})
part, action = os.environ.get("FAKE_STOP", ":").split(":")
if out is not None and os.path.basename(out) == part:
    with open(out, "w") as f:
        f.write(text[:len(text) // 2])
    if action == "fail":
        sys.exit(1)
    if action.endswith("-stubborn"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.kill(os.getppid(), getattr(signal, action.split("-")[0]))
    time.sleep(60)
elif out is not None:
    with open(out, "w") as f:
        f.write(text)
'''
# Two rounds of countdown, gilbench then CPython: steps 1-4, then the trace and the report.
PLAN = {"size": "tiny", "rounds": 2, "threads": "2", "workloads": "countdown", "placements": "os",
        "io": False, "sweep": False, "row_s": 0.01}
GILBENCH_ROUND_2 = ("round 2/2: gilbench: countdown, every policy, seq / 2 threads (os) / "
                    "processes")


class InterruptTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="reproduce_interrupt_test.")
        self.addCleanup(shutil.rmtree, self.tmp)
        bin_dir, root = os.path.join(self.tmp, "bin"), os.path.join(self.tmp, "root")
        os.makedirs(os.path.join(root, "scripts"))
        os.makedirs(bin_dir)
        for path in (os.path.join(bin_dir, "gilbench"), os.path.join(bin_dir, "gilvm"),
                     os.path.join(root, "scripts", "cpython-bench"),
                     os.path.join(root, "scripts", "report")):
            with open(path, "w") as f:
                f.write(FAKE)
            os.chmod(path, 0o755)
        self.out = os.path.join(self.tmp, "run")
        self.pids = os.path.join(self.tmp, "pids")
        self.addCleanup(self.kill_stand_ins)
        for patch in (mock.patch.object(run, "BIN", bin_dir), mock.patch.object(run, "ROOT", root),
                      mock.patch.object(run, "PLANS", {"standard": PLAN}),
                      mock.patch.object(run, "STOP_GRACE_S", 0.3),
                      mock.patch.object(run, "check_machine", lambda out, force: True)):
            patch.start()
            self.addCleanup(patch.stop)

    def reproduce(self, stop=None):
        """run.main's exit status and its log, with FAKE_STOP = `stop` (`part:action`)."""
        env = {"FAKE_PIDS": self.pids, "FAKE_STOP": stop or ":"}
        log = io.StringIO()
        with mock.patch.dict(os.environ, env), contextlib.redirect_stderr(log), \
                contextlib.redirect_stdout(io.StringIO()):
            status = run.main(["--out", self.out])
        return status, log.getvalue()

    def rows(self, name):
        with open(os.path.join(self.out, name)) as f:
            return sorted((b["name"], b["repetition_index"]) for b in json.load(f)["benchmarks"])

    def stand_ins(self):
        if not os.path.exists(self.pids):
            return []
        with open(self.pids) as f:
            return [int(pid) for pid in f.read().split()]

    def assert_no_process_left(self):
        for pid in self.stand_ins():
            with self.assertRaises(ProcessLookupError, msg="process %d left" % pid):
                os.kill(pid, 0)

    def kill_stand_ins(self):
        """After a failed test: no stand-in left sleeping (a pid still running from this test's
        folder: the number of one that ended may have been given to another process)."""
        for pid in self.stand_ins():
            with contextlib.suppress(OSError):
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    if self.tmp.encode() in f.read():
                        os.kill(pid, signal.SIGKILL)

    def assert_no_part_left(self):
        self.assertEqual([n for n in os.listdir(self.out) if ".part." in n], [])

    def test_ctrl_c_keeps_the_whole_rounds_and_names_what_is_missing(self):
        status, log = self.reproduce("cpu.1.part.json:SIGINT")
        self.assertEqual(status, 130, log)
        self.assertEqual(self.rows("gilbench.json"), [("countdown/py3/seq/1/os", 0),
                                                      ("countdown/py3/threads/2/os", 0)])
        self.assertEqual(self.rows("cpython.json"), [("countdown/cpython/seq/1/os", 0),
                                                     ("countdown/cpython/threads/2/os", 0)])
        self.assert_no_part_left()
        self.assertFalse(os.path.exists(os.path.join(self.out, "trace.json")))
        self.assertEqual(missing_steps.load(self.out), ("SIGINT", [
            GILBENCH_ROUND_2 + " (interrupted by SIGINT)",
            "4 of the 7 planned steps did not run",
            "gilbench.json: parts missing or cut short, left out: cpu.1.part.json"]))
        self.assertIn("interrupted by SIGINT: kept what was measured whole (gilbench.json, "
                      "cpython.json)", log)
        self.assert_no_process_left()
        self.assertIs(signal.getsignal(signal.SIGINT), signal.default_int_handler)

    def test_sigterm_during_cpython_keeps_gilbench(self):
        status, log = self.reproduce("cpython.0.part.json:SIGTERM")
        self.assertEqual(status, 143, log)
        self.assertEqual(len(self.rows("gilbench.json")), 2)
        self.assertFalse(os.path.exists(os.path.join(self.out, "cpython.json")))
        self.assert_no_part_left()
        signal_name, missing = missing_steps.load(self.out)
        self.assertEqual(signal_name, "SIGTERM")
        self.assertIn("no run produced cpython.json", missing)
        self.assert_no_process_left()
        self.assertIs(signal.getsignal(signal.SIGTERM), signal.SIG_DFL)

    def test_a_step_that_ignores_sigterm_is_killed(self):
        started = time.monotonic()
        status, log = self.reproduce("cpu.0.part.json:SIGINT-stubborn")
        self.assertEqual(status, 130, log)
        self.assertLess(time.monotonic() - started, 10)
        self.assert_no_part_left()
        self.assertFalse(os.path.exists(os.path.join(self.out, "gilbench.json")))
        self.assertIn("no run produced gilbench.json", missing_steps.load(self.out)[1])
        self.assert_no_process_left()

    def test_failed_step_is_recorded_and_the_rest_runs(self):
        status, log = self.reproduce("cpu.1.part.json:fail")
        self.assertEqual(status, 1, log)
        self.assertEqual(len(self.rows("cpython.json")), 4)  # both rounds
        self.assertTrue(os.path.exists(os.path.join(self.out, "trace.json")))
        self.assertEqual(missing_steps.load(self.out), (None, [
            GILBENCH_ROUND_2 + " (exit status 1; see reproduce.log)",
            "gilbench.json: parts missing or cut short, left out: cpu.1.part.json"]))

    def test_a_step_that_cannot_start_is_a_failed_step(self):
        os.remove(os.path.join(run.BIN, "gilvm"))
        status, log = self.reproduce()
        self.assertEqual(status, 1, log)
        self.assertEqual(missing_steps.load(self.out), (None, [
            "gilvm --trace: countdown in 2 threads under py3 (the GIL timeline) (exit status 127; "
            "see reproduce.log)"]))
        with open(os.path.join(self.out, run.LOG)) as f:
            self.assertIn("cannot run %s: " % os.path.join(run.BIN, "gilvm"), f.read())

    def test_whole_run_removes_an_earlier_record(self):
        os.makedirs(self.out)
        missing_steps.write(self.out, ["from an earlier run"], "SIGINT")
        status, log = self.reproduce()
        self.assertEqual(status, 0, log)
        self.assertEqual(len(self.rows("gilbench.json")), 4)
        self.assertIsNone(missing_steps.load(self.out))


if __name__ == "__main__":
    unittest.main()
