#!/usr/bin/python3
"""Tests of scripts/cpython-bench at its hidden tiny size: the JSON it writes (names, results,
I/O counters, repetition aggregates, context), the workloads that start their own threads or
processes in each of their modes, workloads made to fail (an error row and exit 1, without
hanging), bad flags (exit 2) and that no child process outlives the driver, interrupted or not;
and, in-process, the calls the workload table plans for each mode. No timing asserts: the
machine may be a noisy 2-core VM.

    /usr/bin/python3 tests/scripts/cpython_bench_test.py [REPO]
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

# The repository from the command line (ctest passes it) when it names a folder: under
# `python3 -m unittest tests/scripts/cpython_bench_test.py` the argument is this file.
REPO = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 and os.path.isdir(sys.argv[1])
                       else os.path.join(os.path.dirname(__file__), "..", ".."))
DRIVER = os.path.join(REPO, "scripts", "cpython-bench")
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(REPO, "scripts"))
from cpython_bench import workloads  # noqa: E402
HANG_GUARD_S = 90  # a driver still running after this has hung: the test fails, never waits on

# The tiny size's expected results (harness/workloads.cc's table); the trio's depend on the run.
TINY_RESULTS = {"countdown": 0, "factorize": 129528, "sleep": 4, "native": 16 * 20,
                "pipe_io": 20 * 1024, "factorize_class": 129528, "bank": 3000,
                "pipeline": 41842240, "pool": 200000, "executor": 129528}
# The modes with rows at n of the workloads that start their own threads or processes (the
# contract's table); the others have threads and processes.
SPAWNER_MODES = {"factorize_class": ("threads", "processes"), "bank": ("threads", "processes"),
                 "pipeline": ("threads", "processes"), "pool": ("processes", "pool"),
                 "executor": ("threads", "processes", "pool")}
TRIO = ("latency", "bandwidth", "convoy")
IO_COUNTERS = {"latency": ("io_latency_us_p50", "io_latency_us_p99"),
               "bandwidth": ("io_ops_per_s",), "convoy": ("io_ops_per_s",)}
COUNTERS = ("cpu_user_s", "cpu_sys_s", "ctx_voluntary", "ctx_involuntary", "result")
# The workers' scheduler figures, read from /proc as gilbench reads them.
SCHED_COUNTERS = ("task_clock_ns", "sched_run_delay_ns", "sched_timeslices", "cpu_migrations",
                  "page_faults")

# Appended to a copy of io_trio.py: an echo that answers two messages, then raises.
FAILING_ECHO = '''

def echo(rfd, wfd):
    for _ in range(2):
        os.write(wfd, os.read(rfd, MESSAGE_SIZE))
    raise RuntimeError("injected failure after 2 messages")
'''


def expected_names(threads=(2,), cpu_threads=(0, 1, 2)):
    names = []
    for workload in TINY_RESULTS:
        names.append(f"{workload}/cpython/seq/1/os/real_time")
        names += [f"{workload}/cpython/{mode}/{n}/os/real_time"
                  for mode in SPAWNER_MODES.get(workload, ("threads", "processes"))
                  for n in threads]
    for workload in TRIO:
        names += [f"{workload}/cpython/{mode}/{n}/os/real_time"
                  for mode in ("threads", "processes") for n in cpu_threads]
    return names


def process_group(pgid):
    """Pids (zombies included) whose process group is `pgid`, from /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        if int(fields[2]) == pgid:
            pids.append(int(entry))
    return pids


class Driver:
    """Runs the driver in its own session (its process group id is its pid), so that after it
    exits any child it left behind is still findable by that group."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([DRIVER, *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True)

    def finish(self):
        try:
            out, err = self.proc.communicate(timeout=HANG_GUARD_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.communicate()
            raise AssertionError(f"driver hung for {HANG_GUARD_S} s")
        return self.proc.returncode, out, err

    def leftovers(self):
        return process_group(self.proc.pid)


class CpythonBenchTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cpython-bench-test.")
        self.addCleanup(shutil.rmtree, self.tmp)

    def run_driver(self, *args):
        """(exit status, stdout, stderr); also checks that no child process was left behind."""
        driver = Driver(*args)
        status, out, err = driver.finish()
        self.assertEqual(driver.leftovers(), [], "child processes outlived the driver")
        return status, out, err

    def rows_by_name(self, document):
        rows = {}
        for row in document["benchmarks"]:
            rows.setdefault(row["name"], []).append(row)
        return rows

    def test_every_workload_with_repetitions(self):
        out = os.path.join(self.tmp, "cpy.json")
        status, _, err = self.run_driver("--size", "tiny", "--repetitions", "2", "--out", out)
        self.assertEqual(status, 0, err)
        self.assertIn("[1/98] countdown/cpython/seq/1/os ... ", err)
        with open(out) as f:
            document = json.load(f)
        context = document["context"]
        for key in ("date", "host_name", "executable", "num_cpus", "python_version",
                    "python_implementation", "library_build_type", "driver", "workload_dir"):
            self.assertIn(key, context)
        self.assertEqual(context["size"], "tiny")
        self.assertEqual(context["driver"], "scripts/cpython-bench")
        self.assertEqual(context["workload_dir"], os.path.join(REPO, "workloads"))
        for key in SCHED_COUNTERS[1:]:
            self.assertIn(f"{key}=/proc/thread-self/", context["sched_counters"])
        self.assertIn("task_clock_ns=clock_gettime(CLOCK_THREAD_CPUTIME_ID)",
                      context["sched_counters"])
        rows = self.rows_by_name(document)
        for name in expected_names():
            workload = name.split("/")[0]
            with self.subTest(name=name):
                runs = rows.get(name, [])
                self.assertEqual([r["repetition_index"] for r in runs], [0, 1])
                for row in runs:
                    self.check_iteration_row(row, workload)
                for aggregate in ("mean", "median", "stddev", "cv"):
                    rows_of = rows.get(f"{name}_{aggregate}", [])
                    self.assertEqual(len(rows_of), 1, aggregate)
                    self.assertEqual(rows_of[0]["run_type"], "aggregate")
                    self.assertEqual(rows_of[0]["aggregate_name"], aggregate)
                    self.assertEqual(rows_of[0]["run_name"], name)
                    for key in ("real_time", "cpu_time") + COUNTERS + IO_COUNTERS.get(
                            workload, ()):
                        self.assertIn(key, rows_of[0])
        self.assertEqual(len(rows), len(expected_names()) * 5)

    def check_iteration_row(self, row, workload):
        self.assertNotIn("error_occurred", row, row.get("error_message"))
        self.assertEqual(row["run_name"], row["name"])
        self.assertEqual((row["run_type"], row["repetitions"], row["threads"],
                          row["iterations"], row["time_unit"]), ("iteration", 2, 1, 1, "ms"))
        self.assertGreater(row["real_time"], 0)
        mode = row["name"].split("/")[2]
        # A workload that starts its own workers: the driver's thread only started and joined
        # them, so its scheduler figures are left out.
        own_workers = workload in SPAWNER_MODES and mode in ("threads", "pool")
        for key in COUNTERS + (() if own_workers else SCHED_COUNTERS):
            self.assertIsInstance(row[key], float, key)
            self.assertGreaterEqual(row[key], 0, key)
        if own_workers:
            for key in SCHED_COUNTERS:
                self.assertNotIn(key, row)
        else:
            # The workers ran: their task clock counted them (sleep's workers barely run, but do).
            self.assertGreater(row["task_clock_ns"], 0)
        if mode == "pool":
            # The pool's processes did the work, and were reaped within the run: their CPU time
            # is in the row's, beyond the driver's own (cpu_time).
            self.assertGreater((row["cpu_user_s"] + row["cpu_sys_s"]) * 1e3, row["cpu_time"])
        # processes rows: the slowest child, within the row's time, and the children's fairness.
        slowest = sorted(k for k in row if k.startswith("slowest_worker_"))
        if "/processes/" in row["name"]:
            self.assertEqual(slowest, ["slowest_worker_run_delay_ns",
                                       "slowest_worker_task_clock_ns", "slowest_worker_wall_ns"])
            self.assertLessEqual(row["slowest_worker_wall_ns"], row["real_time"] * 1e6)
            self.assertLessEqual(row["slowest_worker_task_clock_ns"], row["task_clock_ns"])
            n = int(row["name"].split("/")[3])
            # Jain's index over the children is at least 1 / children: an I/O trio row runs its
            # I/O worker beside n CPU-bound ones (an idle echo worker under load took it to 0.48
            # with n = 2, which the old 1/n bound called impossible).
            children = n + 1 if workload in TRIO else n
            if children >= 2:
                self.assertTrue(1 / children - 1e-9 <= row["fairness_cpu"] <= 1 + 1e-9, row)
        else:
            self.assertEqual(slowest, [])
            self.assertNotIn("fairness_cpu", row)
        if workload in TINY_RESULTS:
            self.assertEqual(row["result"], TINY_RESULTS[workload])
            self.assertGreater(row["items_per_second"], 0)
        else:
            # echo answers every message the client sent, writer's writes all got drained:
            # the driver checked that against the native side's count; here, that there was I/O
            self.assertGreater(row["result"], 0)
            for key in IO_COUNTERS[workload]:
                self.assertGreater(row[key], 0, key)

    def test_failing_workload_is_an_error_row(self):
        workloads = os.path.join(self.tmp, "workloads")
        shutil.copytree(os.path.join(REPO, "workloads"), workloads)
        with open(os.path.join(workloads, "io_trio.py"), "a") as f:
            f.write(FAILING_ECHO)
        out = os.path.join(self.tmp, "bad.json")
        status, _, err = self.run_driver("--size", "tiny", "--workloads", "latency,countdown",
                                         "--cpu-threads", "0,1", "--workload-dir", workloads,
                                         "--out", out, "--quiet")
        self.assertEqual(status, 1, err)
        with open(out) as f:
            rows = self.rows_by_name(json.load(f))
        for mode in ("threads", "processes"):
            for n in (0, 1):
                (row,) = rows[f"latency/cpython/{mode}/{n}/os/real_time"]
                self.assertIs(row["error_occurred"], True)
                self.assertIn("injected failure after 2 messages", row["error_message"])
        (row,) = rows["countdown/cpython/threads/2/os/real_time"]
        self.assertNotIn("error_occurred", row)  # the others still ran
        self.assertEqual(row["result"], 0)

    def test_spawners_in_every_mode(self):
        """The five workloads that start their own threads or processes, at n = 2, in the
        contract's order of modes: every row right, and the pool rows' workers reaped."""
        status, out, err = self.run_driver("--size", "tiny", "--workloads", ",".join(
            SPAWNER_MODES), "--quiet")
        self.assertEqual((status, err), (0, ""))
        rows = json.loads(out)["benchmarks"]
        self.assertEqual([row["name"] for row in rows],
                         [name for name in expected_names() if name.split("/")[0] in
                          SPAWNER_MODES])
        for row in rows:
            with self.subTest(name=row["name"]):
                self.assertNotIn("error_occurred", row, row.get("error_message"))
                self.assertEqual(row["result"], TINY_RESULTS[row["name"].split("/")[0]])

    def test_modes_pool_only(self):
        status, out, err = self.run_driver("--size", "tiny", "--workloads", "countdown,executor",
                                           "--modes", "pool", "--threads", "2,3", "--quiet")
        self.assertEqual((status, err), (0, ""))
        names = [row["name"] for row in json.loads(out)["benchmarks"]]
        self.assertEqual(names, ["executor/cpython/pool/2/os/real_time",
                                 "executor/cpython/pool/3/os/real_time"])

    def test_wrong_result_of_a_pool_row_is_an_error_row(self):
        """pool.py's pool() made wrong when it makes a pool: the pool row fails, the seq and
        processes rows (pool(1, ...)) of the same file do not."""
        workloads_dir = os.path.join(self.tmp, "workloads")
        shutil.copytree(os.path.join(REPO, "workloads"), workloads_dir)
        with open(os.path.join(workloads_dir, "pool.py"), "a") as f:
            f.write("\n\nright_pool = pool\n\n\ndef pool(nprocs, n):\n"
                    "    return right_pool(nprocs, n) + (nprocs > 1)\n")
        status, out, err = self.run_driver("--size", "tiny", "--workloads", "pool",
                                           "--workload-dir", workloads_dir, "--quiet")
        self.assertEqual(status, 1, err)
        rows = {row["name"]: row for row in json.loads(out)["benchmarks"]}
        bad = rows["pool/cpython/pool/2/os/real_time"]
        self.assertIs(bad["error_occurred"], True)
        self.assertEqual(bad["error_message"], "wrong result: checksum 200001, expected 200000")
        for mode in ("seq/1", "processes/2"):
            self.assertEqual(rows[f"pool/cpython/{mode}/os/real_time"]["result"], 200000)

    def test_stdout_without_out(self):
        status, out, err = self.run_driver("--size", "tiny", "--workloads", "sleep",
                                           "--threads", "1,3", "--quiet")
        self.assertEqual((status, err), (0, ""))
        names = [row["name"] for row in json.loads(out)["benchmarks"]]
        self.assertEqual(names, [f"sleep/cpython/{m}/os/real_time" for m in (
            "seq/1", "threads/1", "threads/3", "processes/1", "processes/3")])

    def test_modes_select_rows(self):
        status, out, err = self.run_driver("--size", "tiny", "--workloads", "sleep",
                                           "--modes", "threads,seq", "--quiet")
        self.assertEqual((status, err), (0, ""))
        names = [row["name"] for row in json.loads(out)["benchmarks"]]
        self.assertEqual(names, ["sleep/cpython/seq/1/os/real_time",
                                 "sleep/cpython/threads/2/os/real_time"])

    def test_scheduler_figures_absent_without_proc(self):
        """No /proc scheduler files (forced): the figures are left out of the rows, never zero,
        and the context says why."""
        env = dict(os.environ, GILBENCH_NO_PROC_SCHED="1")
        proc = subprocess.run([DRIVER, "--size", "tiny", "--workloads", "countdown", "--quiet"],
                              capture_output=True, text=True, env=env, timeout=HANG_GUARD_S)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        document = json.loads(proc.stdout)
        self.assertIn("disabled by GILBENCH_NO_PROC_SCHED", document["context"]["sched_counters"])
        for row in document["benchmarks"]:
            self.assertIn("cpu_user_s", row)
            for key in SCHED_COUNTERS:
                self.assertNotIn(key, row)

    def test_bad_flags(self):
        out = os.path.join(self.tmp, "never.json")
        for flags in (["--size", "huge"], ["--workloads", "countdown,nope"],
                      ["--threads", "0"], ["--threads", "two"], ["--cpu-threads", "-1"],
                      ["--repetitions", "0"], ["--workload-dir", "/nonexistent"],
                      ["--modes", "seq,fibres"], ["--workloads", "latency", "--modes", "seq"],
                      ["--workloads", "countdown,bank", "--modes", "pool"],
                      ["--bogus"], ["--out", "/nonexistent/x.json"]):
            with self.subTest(flags=flags):
                status, stdout, err = self.run_driver(*flags, "--out", out) if (
                    flags[0] != "--out") else self.run_driver(*flags)
                self.assertEqual(status, 2, err)
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertEqual(stdout, "")
                self.assertFalse(os.path.exists(out))

    def test_interrupted_run_leaves_no_file_and_no_child(self):
        out = os.path.join(self.tmp, "interrupted.json")
        # a long run, interrupted (SIGTERM to the driver alone) while its third benchmark runs
        driver = Driver("--size", "tiny", "--workloads", "latency,pipe_io", "--repetitions",
                        "100", "--out", out)
        for line in driver.proc.stderr:
            if line.startswith("[2/"):
                break
        driver.proc.send_signal(signal.SIGTERM)
        status, _, err = driver.finish()
        self.assertEqual(status, 130, err)
        self.assertEqual(driver.leftovers(), [])
        self.assertEqual(os.listdir(self.tmp), [])



class SpawnerPlanTest(unittest.TestCase):
    """The calls the workload table plans for the spawners, in-process (no run)."""

    def calls(self, name, mode, n, size="tiny"):
        (bench,) = [b for b in workloads.plan([name], size, [n], [0]) if b.mode == mode]
        return bench.worker_calls([()] * bench.workers), bench.where

    def test_threads_and_pool_rows_are_one_call_with_n_in_the_driver(self):
        for name, mode, function in (("factorize_class", "threads", "factorize_class"),
                                     ("bank", "threads", "bank"),
                                     ("pipeline", "threads", "pipeline"),
                                     ("pool", "pool", "pool"),
                                     ("executor", "threads", "thread_executor"),
                                     ("executor", "pool", "process_executor")):
            with self.subTest(name=name, mode=mode):
                job = workloads.find_workload(name, "quick").calls[0][0]
                self.assertEqual(self.calls(name, mode, 4, "quick"),
                                 ([[(function, (4, job))]], "driver"))
                self.assertEqual(self.calls(name, "seq", 1, "quick")[0][0][0][1], (1, job))

    def test_processes_deal_by_index_or_cut_the_size(self):
        self.assertEqual(self.calls("factorize_class", "processes", 3),
                         ([[("factorize_class", (1, 100, i, 3))] for i in range(3)],
                          "processes"))
        self.assertEqual(self.calls("executor", "processes", 2)[0],
                         [[("thread_executor", (1, 100, i, 2))] for i in range(2)])
        self.assertEqual(self.calls("pipeline", "processes", 2)[0],
                         [[("pipeline", (1, 500, i, 2))] for i in range(2)])
        # cut as countdown's n: the first child takes the remainder
        self.assertEqual(self.calls("bank", "processes", 7)[0],
                         [[("bank", (1, 3000 - 428 * 6))]] + [[("bank", (1, 428))]] * 6)
        self.assertEqual(self.calls("pool", "processes", 3)[0],
                         [[("pool", (1, 66668))], [("pool", (1, 66666))], [("pool", (1, 66666))]])

    def test_sizes_and_checksums(self):
        expected = {"factorize_class": ((100, 129528), (10, 842648), (1, 7260864)),
                    "bank": ((3000, 3000), (100000, 100000), (1000000, 1000000)),
                    "pipeline": ((500, 41842240), (20000, 9792940750), (200000, 99856583201)),
                    "pool": ((200000, 200000), (2000000, 2000000), (20000000, 20000000))}
        expected["executor"] = expected["factorize_class"]
        for name, by_size in expected.items():
            for size, (job, checksum) in zip(("tiny", "quick", "full"), by_size):
                with self.subTest(name=name, size=size):
                    w = workloads.find_workload(name, size)
                    self.assertEqual((w.calls, w.expected), ([(job,)], checksum))
                    self.assertGreater(w.work_items, 0)
            long, full = (workloads.find_workload(name, s) for s in ("long", "full"))
            self.assertEqual((long.calls, long.expected), (full.calls, full.expected))

    def test_modes_in_order_and_no_pool_rows_for_the_others(self):
        for name in workloads.NAMES:
            with self.subTest(name=name):
                modes = [b.mode for b in workloads.plan([name], "tiny", [2], [0])]
                self.assertEqual(modes, sorted(modes, key=workloads.MODES.index))
                expected = SPAWNER_MODES.get(name, ("threads", "processes"))
                self.assertEqual(set(modes) - {"seq"}, set(expected))
                self.assertEqual(modes[0] == "seq", name not in TRIO)

if __name__ == "__main__":
    unittest.main()
