#!/usr/bin/python3
"""Output tests of the gilbench binary, in Google Benchmark's output-test style: run the real
binary on a small filter with --size=quick or tiny and JSON output, then check the benchmark names,
user counters, context keys and error rows, and that gilbench behaves as a Google Benchmark binary
is expected to (usage errors exit 2 and write nothing, no output file unless asked for, process
CPU time, --benchmark_time_unit, unavailable placements reported, not run), that its results
file is written whole or not at all (a device written in place, SIGINT and SIGTERM, a full
device, a path that cannot take a file), and that one row's failure (out of memory, an
unreadable workload file) is an error row while the run goes on. One case per ctest test:

    gilbench_output_test.py CASE /path/to/gilbench

Exit status 0 pass, 1 fail, 77 skip (ctest SKIP_RETURN_CODE).
"""
import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
GIL_COUNTERS = ["gil_acquisitions", "gil_handoffs", "gil_futile_wakeups", "gil_drop_requests",
                "gil_forced_switches", "gil_wait_ns_total", "gil_wait_ns_p50", "gil_wait_ns_p99",
                "gil_wait_ns_max", "gil_hold_ns_p50", "gil_hold_ns_p99"]
OS_COUNTERS = ["cpu_user_s", "cpu_sys_s", "ctx_voluntary", "ctx_involuntary", "result"]
PMU_COUNTERS = ["cycles", "instructions", "cache_misses", "branch_misses"]
CONTEXT_KEYS = ["topology_packages", "topology_cores", "topology_pus", "topology_numa_nodes",
                "topology_smt", "allowed_cpuset", "gil_switch_interval_us", "gil_check_interval",
                "gil_forced_switch", "pmu_status", "git_revision", "compiler", "cxx_flags",
                "gilbench_version", "placements_unavailable", "rows_unavailable",
                "sched_counters"]
# What Google Benchmark appends to our names: MeasureProcessCPUTime, then UseRealTime.
SUFFIX = "/process_time/real_time"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(binary, args, env=None, timeout=60):
    """Runs gilbench; returns (status, stdout, stderr)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run([binary] + args, capture_output=True, text=True, env=full_env,
                          timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def run_json(binary, flags, env=None):
    """Runs gilbench with --size=quick and JSON output to a temporary file; returns the JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        status, _, err = run(binary, ["--size=quick", "--benchmark_format=json",
                                      "--benchmark_out=" + out, "--benchmark_out_format=json"]
                             + flags, env)
        check(status == 0, "gilbench exited %d: %s" % (status, err))
        check("left behind" not in err and "still running" not in err,
              "a child process outlived its run: " + err)
        with open(out) as f:
            return json.load(f), err


def by_name(data):
    """Benchmarks keyed by their matrix name (without the library's suffix, which every name
    must carry)."""
    rows = {}
    for b in data["benchmarks"]:
        name = b["name"]
        check(name.endswith(SUFFIX), "%s lacks the suffix %s" % (name, SUFFIX))
        rows[name[: -len(SUFFIX)]] = b
    return rows


def case_names_counters_context(binary):
    data, err = run_json(binary, ["--workloads=countdown,factorize", "--policies=py2,fifo",
                                  "--modes=seq,threads,processes", "--threads=2",
                                  "--placements=os"])
    rows = by_name(data)
    expected = []
    for w in ["countdown", "factorize"]:
        for p in ["py2", "fifo"]:
            expected += ["%s/%s/seq/1/os" % (w, p), "%s/%s/threads/2/os" % (w, p),
                         "%s/%s/processes/2/os" % (w, p)]
    check(sorted(rows) == sorted(expected), "names: %s" % sorted(rows))
    for name, row in rows.items():
        check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
        for key in GIL_COUNTERS + OS_COUNTERS:
            check(key in row, "%s lacks counter %s" % (name, key))
        want = 842648 if name.startswith("factorize") else 0
        check(row["result"] == want, "%s result %s" % (name, row["result"]))
    check(rows["countdown/py2/threads/2/os"]["gil_acquisitions"] > 0, "no GIL acquisitions")
    for key in CONTEXT_KEYS:
        check(key in data["context"], "context lacks " + key)
    check("[1/12]" in err and "[12/12]" in err, "progress lines missing: " + err)


def case_no_pmu(binary):
    data, _ = run_json(binary, ["--workloads=countdown", "--policies=py3", "--modes=seq,threads,processes",
                                "--threads=2", "--placements=os"], env={"GILBENCH_NO_PMU": "1"})
    status = data["context"]["pmu_status"]
    check(status.startswith("unavailable") and "GILBENCH_NO_PMU" in status,
          "pmu_status: " + status)
    for name, row in by_name(data).items():
        check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
        for key in PMU_COUNTERS:
            check(key not in row, "%s has %s without a PMU" % (name, key))
        check("gil_acquisitions" in row and "cpu_user_s" in row, name + " lost other counters")


def case_spread_binding(binary):
    data, _ = run_json(binary, ["--workloads=countdown", "--policies=py3",
                                "--modes=seq,threads,processes", "--threads=2",
                                "--placements=spread,one-core"])
    pus = int(data["context"]["topology_pus"])
    rows = by_name(data)
    if int(data["context"]["topology_cores"]) < 2 or pus < 2:
        check("countdown/py3/threads/2/spread" not in rows, "spread on one core became a row")
        check(data["context"]["placements_unavailable"].startswith("spread: "),
              "context: %s" % data["context"]["placements_unavailable"])
        print("skip: fewer than 2 cores")
        sys.exit(SKIP)
    for mode in ["threads", "processes"]:
        for placement, distinct in [("spread", 2), ("one-core", 1)]:
            name = "countdown/py3/%s/2/%s" % (mode, placement)
            row = rows[name]
            check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
            cpus = row["label"].split("=")[1].split(",")
            check(len(cpus) == 2 and "-1" not in cpus, "%s label %s" % (name, row["label"]))
            check(len(set(cpus)) == distinct, "%s ran on %s" % (name, row["label"]))


def case_child_crash(binary):
    data, _ = run_json(binary, ["--workloads=countdown", "--policies=py3", "--modes=processes",
                                "--threads=2", "--placements=os"],
                       env={"GILBENCH_TEST_CRASH_CHILD": "1"})
    row = by_name(data)["countdown/py3/processes/2/os"]
    check(row.get("error_occurred"), "a crashing child did not fail the run")
    check("signal 6" in row["error_message"], "message: " + row["error_message"])


def case_child_hang(binary):
    data, _ = run_json(binary, ["--workloads=countdown", "--policies=py3", "--modes=processes",
                                "--threads=2", "--placements=os"],
                       env={"GILBENCH_TEST_HANG_CHILD": "1", "GILBENCH_CHILD_TIMEOUT_S": "1"})
    row = by_name(data)["countdown/py3/processes/2/os"]
    check(row.get("error_occurred"), "a hanging child did not fail the run")
    check("did not report within 1 s" in row["error_message"], "message: " + row["error_message"])


def listing(root):
    """Every path under root (relative), or None when root does not exist."""
    if not os.path.isdir(root):
        return None
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(found)


def run_in_empty_dir(binary, args, env=None, timeout=60):
    """Runs gilbench with a fresh empty directory as its working directory, HOME and TMPDIR, and
    --benchmark_out aimed inside it when args has "{out}"; returns (status, stdout, stderr, what
    the directory holds afterwards) and checks that the repository's results/ is untouched."""
    repo_results = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "results")
    before = listing(repo_results)
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        full_env = dict(os.environ, HOME=work, TMPDIR=work, PWD=work)
        full_env.update(env or {})
        args = [a.replace("{out}", os.path.join(work, "out", "gilbench.json")) for a in args]
        if any(os.path.join(work, "out") in a for a in args):
            os.mkdir(os.path.join(work, "out"))
        proc = subprocess.run([binary] + args, capture_output=True, text=True, env=full_env,
                              cwd=work, timeout=timeout)
        left = listing(work)
    check(listing(repo_results) == before, "the repository's results/ changed")
    return proc.returncode, proc.stdout, proc.stderr, [p for p in left if p != "out"]


def case_bad_flags(binary):
    """Bad values of our flags: status 2, one line on stderr, nothing run, nothing written."""
    bad = [["--workloads=nope"], ["--policies=py9"], ["--placements=moon"], ["--threads=0"],
           ["--modes=serial"], ["--size=huge"], ["--counters=not_an_event_xyz"],
           ["--switch-interval=0"], ["--cpu-threads=-1"], ["--switch-intervals=0"],
           ["--size=enormous"],
           # The library's flags that it would answer with its usage and status 0.
           ["--benchmark_time_unit=hours"], ["--benchmark_time_unit=MS"],
           ["--benchmark_format=xml"], ["--benchmark_out_format=yaml"]]
    for args in bad:
        status, out, err, left = run_in_empty_dir(
            binary, ["--size=tiny", "--workloads=countdown", "--placements=os",
                     "--benchmark_out={out}"] + args)
        check(status == 2, "%s: status %d" % (args, status))
        lines = err.strip().splitlines()
        check(len(lines) == 1 and lines[0].startswith("gilbench:"), "%s: stderr %r" % (args, err))
        check(out == "", "%s ran benchmarks: %r" % (args, out[:200]))
        check(left == [], "%s left files behind: %s" % (args, left))
    # Flags nobody knows (the library reports them), the removed --results_dir among them.
    for args in [["--benchmark_nope=1"], ["--results_dir=x"], ["--benchmark_min_time=abc"],
                 ["--workload"]]:
        status, out, err, left = run_in_empty_dir(
            binary, ["--size=tiny", "--workloads=countdown", "--placements=os",
                     "--benchmark_out={out}"] + args)
        check(status == 2, "%s: status %d: %s" % (args, status, err))
        check("unrecognized" in err, "%s: stderr %r" % (args, err))
        check("[1/" not in err and "Benchmark" not in out, "%s ran benchmarks" % args)
        check(left == [], "%s left files behind: %s" % (args, left))
    status, _, err, left = run_in_empty_dir(binary, ["--size=tiny", "--benchmark_out={out}"],
                                            env={"BENCHMARK_TIME_UNIT": "hours"})
    check(status == 2 and "benchmark_time_unit" in err and left == [],
          "BENCHMARK_TIME_UNIT=hours: status %d, %r, left %s" % (status, err, left))


def case_filter_matches_nothing(binary):
    """A filter that selects nothing (or is no regex) is a usage error: status 2, one line, no
    output file (the library alone would empty it and exit 0)."""
    base = ["--size=tiny", "--workloads=countdown", "--policies=py3", "--modes=seq",
            "--placements=os", "--benchmark_out={out}", "--benchmark_out_format=json"]
    for flt, message in [("nothing_is_called_this",
                          "gilbench: --benchmark_filter=nothing_is_called_this matches no benchmark"),
                         ("-countdown", "gilbench: --benchmark_filter=-countdown matches no benchmark"),
                         ("(", "is not a valid regex")]:
        status, out, err, left = run_in_empty_dir(binary, base + ["--benchmark_filter=" + flt])
        check(status == 2, "filter %r: status %d" % (flt, status))
        check(message in err and len(err.strip().splitlines()) == 1,
              "filter %r: stderr %r" % (flt, err))
        check("[1/" not in err and out == "", "filter %r ran benchmarks" % flt)
        check(left == [], "filter %r left files behind: %s" % (flt, left))
    # The filter sees the library's full names, suffix included, as the library does.
    status, out, err, _ = run_in_empty_dir(
        binary, base[:-2] + ["--benchmark_list_tests", "--benchmark_filter=process_time/real_time$"])
    check(status == 0 and out.split() == ["countdown/py3/seq/1/os" + SUFFIX],
          "list by suffix: status %d, %r %r" % (status, out, err))


def case_no_output_file(binary):
    """Without --benchmark_out gilbench writes to stdout only: no results/ folder, no file, in
    the working directory or anywhere under HOME/TMPDIR; the repository's results/ untouched."""
    status, out, err, left = run_in_empty_dir(
        binary, ["--size=tiny", "--workloads=countdown", "--policies=py3", "--modes=seq",
                 "--placements=os", "--benchmark_format=json"])
    check(status == 0, "status %d: %s" % (status, err))
    check(left == [], "files appeared: %s" % left)
    rows = by_name(json.loads(out))
    check(list(rows) == ["countdown/py3/seq/1/os"], "rows on stdout: %s" % list(rows))
    check("results in" not in err, "stderr names a results file: " + err)
    # With --benchmark_out, the file and topology.xml beside it, nothing else.
    status, _, err, left = run_in_empty_dir(
        binary, ["--size=tiny", "--workloads=countdown", "--policies=py3", "--modes=seq",
                 "--placements=os", "--benchmark_out={out}", "--benchmark_out_format=json"])
    check(status == 0, "status %d: %s" % (status, err))
    check(left == [os.path.join("out", "gilbench.json"), os.path.join("out", "topology.xml")],
          "with --benchmark_out: %s" % left)


UNIT_S = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def case_process_cpu_time(binary):
    """cpu_time is the process's: in seq and threads rows the driving thread only waits while
    the VM's threads work, yet cpu_time matches the process's own getrusage over the timed part
    (cpu_user_s + cpu_sys_s, per iteration), where the driving thread's alone would be a small
    fraction of it. Compared with another CPU measure rather than with real_time, the check holds
    on a loaded machine (a busy 2-core CI box stretches real_time, not CPU time)."""
    data, _ = run_json(binary, ["--size=tiny", "--workloads=countdown,factorize",
                                "--policies=py3", "--modes=seq,threads", "--threads=2",
                                "--placements=os"])
    rows = by_name(data)
    for name in ["countdown/py3/threads/2/os", "factorize/py3/threads/2/os",
                 "countdown/py3/seq/1/os"]:
        row = rows[name]
        check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
        cpu_s = row["cpu_time"] * UNIT_S[row["time_unit"]]
        rusage_s = row["cpu_user_s"] + row["cpu_sys_s"]
        check(cpu_s > 0 and rusage_s > 0, "%s cpu_time %s, rusage %s s" % (name, cpu_s, rusage_s))
        check(0.5 * rusage_s <= cpu_s <= 2 * rusage_s + 0.002,
              "%s cpu_time %.6f s vs the process's rusage %.6f s: the workers' CPU is not "
              "counted" % (name, cpu_s, rusage_s))


def case_time_unit(binary):
    """--benchmark_time_unit reaches every row (ms is only our default); so does the library's
    environment variable."""
    base = ["--size=tiny", "--workloads=countdown", "--policies=py3", "--modes=seq,threads",
            "--threads=2", "--placements=os"]
    for flags, env, unit in [([], None, "ms"), (["--benchmark_time_unit=ms"], None, "ms"),
                             (["--benchmark_time_unit=us"], None, "us"),
                             (["--benchmark_time_unit=s"], None, "s"),
                             ([], {"BENCHMARK_TIME_UNIT": "ns"}, "ns")]:
        data, _ = run_json(binary, base + flags, env)
        for name, row in by_name(data).items():
            check(row["time_unit"] == unit, "%s %s: time_unit %s, expected %s" %
                  (flags, env, row["time_unit"], unit))


def case_unavailable_placement(binary):
    """A placement this machine cannot give is no row (an error row reads as 0 ms), but a
    context entry and a stderr line; the expectations come from the context, so the case passes
    on a machine with SMT and two packages too."""
    modes = ["seq/1", "threads/2"]
    data, err = run_json(binary, ["--size=tiny", "--workloads=countdown", "--policies=py3",
                                  "--modes=seq,threads", "--threads=2",
                                  "--placements=os,smt,cross-package,numa"])
    context = data["context"]
    rows = by_name(data)
    entries = [e for e in context["placements_unavailable"].split("; ") if e]
    unavailable = {e.split(": ", 1)[0]: e.split(": ", 1)[1] for e in entries}
    check(len(unavailable) == len(entries), "an entry twice: %s" % entries)
    check(set(unavailable) <= {"smt", "cross-package", "numa"}, "entries: %s" % entries)
    for entry in entries:  # "<placement>: <reason>", the placement named once
        placement, reason = entry.split(": ", 1)
        check(not reason.startswith(placement + ":"), "placement repeated in %r" % entry)
    if context["topology_smt"] == "false":
        check(unavailable.get("smt") == "no core has 2 PUs", "smt: %s" % entries)
    if context["topology_packages"] == "1":
        check(unavailable.get("cross-package") == "only 1 package",
              "cross-package: %s" % entries)
    if context["topology_numa_nodes"] == "1":
        check(unavailable.get("numa") == "only 1 NUMA node", "numa: %s" % entries)
    for row in rows.values():
        check(not row.get("error_occurred"), "error row: %s %s" % (row["name"],
                                                                    row.get("error_message")))
    for placement in ["os", "smt", "cross-package", "numa"]:
        names = {"countdown/py3/%s/%s" % (m, placement) for m in modes}
        if placement in unavailable:
            check(not names & set(rows), "%s rows registered: %s" % (placement, sorted(rows)))
            line = "gilbench: placement %s unavailable here (%s): 2 rows not run" % (
                placement, unavailable[placement])
            check(line in err.splitlines(), "no line %r in %r" % (line, err))
        else:
            check(names <= set(rows), "%s rows missing: %s" % (placement, sorted(rows)))
    check(context["rows_unavailable"] == str(2 * len(unavailable)),
          "rows_unavailable %s for %s" % (context["rows_unavailable"], entries))
    check(len(rows) == 8 - 2 * len(unavailable), "rows: %s" % sorted(rows))
    # Only unavailable placements asked for: nothing can run, a usage error with no file.
    if unavailable:
        asked = ",".join(sorted(unavailable))
        status, out, err, left = run_in_empty_dir(
            binary, ["--size=tiny", "--workloads=countdown", "--policies=py3",
                     "--placements=" + asked, "--benchmark_out={out}"])
        check(status == 2, "only %s: status %d" % (asked, status))
        check("no requested row can run" in err and out == "" and left == [],
              "only %s: %r, left %s" % (asked, err, left))


def listed_thread_counts(binary, prefix=()):
    """The n of the threads rows gilbench would run with the default --threads."""
    proc = subprocess.run(list(prefix) + [binary, "--benchmark_list_tests", "--size=tiny",
                                          "--workloads=countdown", "--policies=py3",
                                          "--modes=threads", "--placements=os"],
                          capture_output=True, text=True, timeout=60)
    check(proc.returncode == 0, "list tests: %d %s" % (proc.returncode, proc.stderr))
    return [int(line.split("/")[3]) for line in proc.stdout.split()
            if line.startswith("countdown/py3/threads/")]


def case_default_threads(binary):
    """--threads defaults to 1, 2, 4, ... below the PUs the process may use, then that number:
    here, and with the affinity narrowed by taskset to one PU and to two."""
    pus = len(os.sched_getaffinity(0))
    expected = [n for n in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512) if n < pus] + [pus]
    got = listed_thread_counts(binary)
    check(got == expected, "%d PUs: threads %s, expected %s" % (pus, got, expected))
    if shutil.which("taskset"):
        first = min(os.sched_getaffinity(0))
        got = listed_thread_counts(binary, ["taskset", "-c", str(first)])
        check(got == [1], "taskset to 1 PU: threads %s" % got)
        if pus >= 2:
            two = ",".join(str(c) for c in sorted(os.sched_getaffinity(0))[:2])
            got = listed_thread_counts(binary, ["taskset", "-c", two])
            check(got == [1, 2], "taskset to 2 PUs: threads %s" % got)


IO_WORKLOADS = ["sleep", "native", "pipe_io", "latency", "bandwidth", "convoy"]
TRIO = ["latency", "bandwidth", "convoy"]
POLICIES = ["py2", "py3", "fifo", "prio", "subinterp"]


def run_tiny(binary, flags, env=None, timeout=120):
    """Runs gilbench at --size=tiny with JSON output; returns (rows by name, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        status, _, err = run(binary, ["--size=tiny", "--benchmark_out=" + out,
                                      "--benchmark_out_format=json"] + flags, env, timeout)
        check(status == 0, "gilbench exited %d: %s" % (status, err))
        check("left behind" not in err and "still running" not in err,
              "a child process outlived its run: " + err)
        with open(out) as f:
            return by_name(json.load(f)), err


def check_io_row(name, row):
    """The counters an I/O workload's row must carry (values vary: only their presence and
    sanity are checked, never a timing)."""
    check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
    for key in GIL_COUNTERS + OS_COUNTERS:
        check(key in row, "%s lacks counter %s" % (name, key))
    workload = name.split("/")[0]
    if workload == "latency":
        check(0 < row["io_latency_us_p50"] <= row["io_latency_us_p99"],
              "%s latency p50 %s p99 %s" % (name, row.get("io_latency_us_p50"),
                                            row.get("io_latency_us_p99")))
        check(row["result"] >= 2, "%s answered %s messages" % (name, row["result"]))
    elif workload in ("bandwidth", "convoy"):
        check(row.get("io_ops_per_s", 0) > 0, "%s io_ops_per_s %s" % (name, row.get("io_ops_per_s")))
        check("io_latency_us_p50" not in row, name + " has a latency without a latency client")
    else:
        check("io_ops_per_s" not in row and "io_latency_us_p50" not in row,
              name + " has I/O counters")
        want = {"sleep": 4, "native": 16 * 20, "pipe_io": 20 * 1024}[workload]
        check(row["result"] == want, "%s result %s, expected %s" % (name, row["result"], want))


def case_io_workloads(binary):
    """Every I/O workload under every policy, threads and processes, at the tiny size."""
    rows, _ = run_tiny(binary, ["--workloads=" + ",".join(IO_WORKLOADS),
                                "--policies=" + ",".join(POLICIES), "--modes=seq,threads,processes",
                                "--threads=2", "--cpu-threads=0,1", "--placements=os"])
    expected = []
    for workload in IO_WORKLOADS:
        for policy in POLICIES:
            if workload in TRIO:
                for mode in ["threads", "processes"]:
                    expected += ["%s/%s/%s/%d/os" % (workload, policy, mode, n) for n in (0, 1)]
            else:
                expected += ["%s/%s/seq/1/os" % (workload, policy),
                             "%s/%s/threads/2/os" % (workload, policy),
                             "%s/%s/processes/2/os" % (workload, policy)]
    check(sorted(rows) == sorted(expected),
          "names: missing %s, extra %s" % (sorted(set(expected) - set(rows)),
                                           sorted(set(rows) - set(expected))))
    for name, row in rows.items():
        check_io_row(name, row)
    # The CPU thread beside the I/O thread is a VM thread of the same interpreter: under a shared
    # GIL they must have handed it over at least once.
    check(rows["latency/py3/threads/1/os"]["gil_handoffs"] >= 1, "no handoff beside the echo")


# The workloads that make their own threads or processes: their modes and tiny results.
SPAWNERS = {"factorize_class": (("seq", "threads", "processes"), 129528),
            "bank": (("seq", "threads", "processes"), 3000),
            "pipeline": (("seq", "threads", "processes"), 41842240),
            "pool": (("seq", "processes", "pool"), 200000),
            "executor": (("seq", "threads", "processes", "pool"), 129528)}


def case_spawners(binary):
    """The five workloads that start their own threads or processes: the rows each has (pool
    rows only where the workload has a pool; threads and pool rows, the workload's own, only
    where the OS puts them; none under subinterp, which shares no object between threads), their
    results, and the program's own locks, queues and pools counted on the rows that used them
    (absent, never 0, on the others)."""
    rows, _ = run_tiny(binary, ["--workloads=" + ",".join(SPAWNERS),
                                "--policies=" + ",".join(POLICIES), "--threads=2",
                                "--placements=os,one-core"])
    expected = []
    for workload, (modes, _) in SPAWNERS.items():
        for policy in POLICIES[:-1]:
            for mode in modes:
                n = 1 if mode == "seq" else 2
                placements = ["os"] if mode in ("threads", "pool") else ["os", "one-core"]
                expected += ["%s/%s/%s/%d/%s" % (workload, policy, mode, n, placement)
                             for placement in placements]
    check(sorted(rows) == sorted(expected),
          "names: missing %s, extra %s" % (sorted(set(expected) - set(rows)),
                                           sorted(set(rows) - set(expected))))
    for name, row in rows.items():
        workload, _, mode, n, _ = name.split("/")
        check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
        check(row["result"] == SPAWNERS[workload][1], "%s result %s" % (name, row["result"]))
        for key in GIL_COUNTERS + OS_COUNTERS:
            check(key in row, "%s lacks counter %s" % (name, key))
        # the probe saw only the thread that started the others: no per-thread figures
        own = [k for k in row if k in PMU_COUNTERS or k in ("task_clock_ns", "sched_run_delay_ns")]
        check(not own or mode not in ("threads", "pool"), "%s has %s" % (name, own))
        locks = [k for k in row if k.startswith("lock_")]
        queues = [k for k in row if k.startswith("queue_")]
        pools = [k for k in row if k.startswith("pool_")]
        if workload == "bank":
            # two account locks per transfer, then the audit takes all 8 accounts' locks, once
            # per bank: one bank, or one in each process
            banks = int(n) if mode == "processes" else 1
            check(row["lock_acquisitions"] == 2 * 3000 + 8 * banks,
                  "%s: %s lock acquisitions" % (name, row["lock_acquisitions"]))
            check(row["lock_handoffs"] <= row["lock_contended"] <= row["lock_acquisitions"],
                  "%s: handoffs %s, contended %s" % (name, row["lock_handoffs"],
                                                     row["lock_contended"]))
            check(row["lock_wait_ns_p50"] <= row["lock_wait_ns_p99"] <= row["lock_wait_ns_max"],
                  "%s: lock wait percentiles" % name)
        elif not (workload in ("pipeline", "executor") and mode in ("threads", "pool")):
            # only the queues' and executors' own waits lock anything beside bank's accounts
            check(not locks, "%s has %s" % (name, locks))
        if workload == "pipeline" and mode == "threads":
            # 500 items and one end marker per stage, through each of the two queues
            check(row["queue_items_put"] == row["queue_items_got"] == 2 * (500 + 1),
                  "%s: %s put, %s got" % (name, row["queue_items_put"], row["queue_items_got"]))
            check(row["queue_wait_ns_total"] > 0, "%s: items never waited" % name)
        else:
            check(not queues, "%s has %s" % (name, queues))
        if mode == "pool":
            check(row["pool_workers"] == 2 and row["pool_workers_lost"] == 0,
                  "%s: %s workers, %s lost" % (name, row["pool_workers"], row["pool_workers_lost"]))
            check(0 < row["pool_tasks_sent"] == row["pool_results_received"],
                  "%s: %s tasks, %s results" % (name, row["pool_tasks_sent"],
                                                row["pool_results_received"]))
            check(row["pool_bytes_sent"] > 0 and row["pool_bytes_received"] > 0,
                  name + ": no bytes")
            check(row["pool_worker_compute_ns"] > 0, name + ": workers computed nothing")
        else:
            check(not pools, "%s has %s" % (name, pools))


def case_sweep(binary):
    rows, _ = run_tiny(binary, ["--switch-intervals=100,5000", "--policies=py2,py3,prio"])
    expected = []
    for policy in ["py3", "prio"]:
        for us in [100, 5000]:
            expected += ["countdown/%s@%dus/threads/2/os" % (policy, us),
                         "latency/%s@%dus/threads/1/os" % (policy, us),
                         "bandwidth/%s@%dus/threads/1/os" % (policy, us)]
    check(sorted(rows) == sorted(expected), "names: %s" % sorted(rows))
    for name, row in rows.items():
        us = int(name.split("/")[1].split("@")[1][:-2])
        check(row.get("switch_interval_us") == us, "%s switch_interval_us %s" %
              (name, row.get("switch_interval_us")))
        if not name.startswith("countdown"):
            check_io_row(name, row)
    status, _, err = run(binary, ["--switch-intervals=100", "--policies=py2,subinterp"])
    check(status == 2 and "interval policy" in err, "a sweep without an interval policy: %s" % err)


def copy_workloads(tmp):
    """A copy of the repository's workloads in tmp; returns its path."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "workloads")
    dst = os.path.join(tmp, "workloads")
    shutil.copytree(src, dst)
    return dst


def write_failing_workloads(tmp):
    """A copy of the workloads whose VM side fails mid-run with a ZeroDivisionError (the subset
    has no raise statement): the echo after answering two messages, the relay after relaying
    one, the writer at once."""
    dst = copy_workloads(tmp)
    with open(os.path.join(dst, "io_trio.py")) as f:
        trio = f.read()
    trio = trio.replace("        answered += 1\n",
                        "        answered += 1\n        if answered == 2:\n"
                        "            answered = answered // 0\n")
    trio = trio.replace("    writes = 0\n", "    writes = 0 // 0\n")
    with open(os.path.join(dst, "io_trio.py"), "w") as f:
        f.write(trio)
    with open(os.path.join(dst, "pipe_io.py")) as f:
        relay = f.read()
    relay = relay.replace("        total += len(chunk)\n",
                          "        total += len(chunk)\n        total = total // 0\n")
    with open(os.path.join(dst, "pipe_io.py"), "w") as f:
        f.write(relay)
    return dst


def case_io_vm_fails(binary):
    """The VM side raises: the native client, drainer and feeders must let go, and the rows end
    with the VM's error -- no hang (ctest's timeout would catch one)."""
    with tempfile.TemporaryDirectory() as tmp:
        workloads = write_failing_workloads(tmp)
        rows, _ = run_tiny(binary, ["--workload_dir=" + workloads,
                                    "--workloads=pipe_io,latency,bandwidth,convoy",
                                    "--policies=py3,subinterp", "--modes=threads,processes",
                                    "--threads=2", "--cpu-threads=0,1", "--placements=os"],
                           timeout=60)
    # pipe_io: 2 policies x 2 modes; the trio: 3 workloads x 2 policies x 2 modes x 2 counts.
    check(len(rows) == 2 * 2 + 3 * 2 * 2 * 2, "rows: %s" % sorted(rows))
    for name, row in rows.items():
        check(row.get("error_occurred"), "%s did not fail" % name)
        message = row["error_message"]
        check("ZeroDivisionError" in message and "SyntaxError" not in message,
              "%s: %s" % (name, message))


def become_subreaper():
    """Makes this process the reaper of the orphans of its descendants (PR_SET_CHILD_SUBREAPER),
    so that a child gilbench failed to reap becomes ours to see, not init's."""
    libc = ctypes.CDLL(None, use_errno=True)
    check(libc.prctl(36, 1, 0, 0, 0) == 0, "prctl(PR_SET_CHILD_SUBREAPER) failed")


def leftover_children():
    """The pids of the processes left to this (subreaper) process, killed and reaped."""
    left = children_of(os.getpid())
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    while True:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return left
        left += [pid] if pid not in left else []


def children_of(pid):
    """The pids of pid's child processes (from /proc)."""
    found = []
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def interrupt_run(binary, args, env, ready, signo, to_group, timeout=60):
    """Starts gilbench, waits until ready(proc, stderr so far) holds, sends signo (to its process
    group, as a terminal's Ctrl-C does, or to gilbench alone, as kill and timeout do); returns
    (status, stderr)."""
    full_env = dict(os.environ)
    full_env.update(env)
    proc = subprocess.Popen([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=full_env, start_new_session=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    try:
        while not ready(proc, "".join(lines)):
            check(proc.poll() is None, "gilbench ended (%s) before the signal: %s" %
                  (proc.returncode, "".join(lines)))
            check(time.monotonic() < deadline, "never ready: " + "".join(lines))
            time.sleep(0.02)
        if to_group:
            os.killpg(proc.pid, signo)
        else:
            os.kill(proc.pid, signo)
        status = proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
    return status, "".join(lines)


def case_interrupted(binary):
    """SIGINT and SIGTERM mid-run: exit 128 + the signal, no file under the --benchmark_out name,
    no temporary, no topology.xml, and no child process left behind -- in processes mode while
    gilbench waits for a child that never reports, and between seq and threads rows."""
    become_subreaper()
    processes = (["--size=tiny", "--workloads=countdown", "--policies=py3", "--modes=processes",
                  "--threads=2", "--placements=os"],
                 {"GILBENCH_TEST_HANG_CHILD": "1", "GILBENCH_CHILD_TIMEOUT_S": "60"},
                 lambda proc, err: "[1/1]" in err and children_of(proc.pid))
    rows = (["--size=quick", "--workloads=sleep", "--modes=seq,threads", "--threads=1,2",
             "--placements=os", "--benchmark_repetitions=20"], {},
            lambda proc, err: "[2/" in err)
    for name, (args, env, ready) in [("processes", processes), ("rows", rows)]:
        for signo, to_group in [(signal.SIGINT, True), (signal.SIGTERM, False)]:
            what = "%s, %s%s" % (name, signal.Signals(signo).name, " to the group" * to_group)
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "out.json")
                start = time.monotonic()
                status, err = interrupt_run(binary, args + ["--benchmark_out=" + out], env,
                                            ready, signo, to_group)
                took = time.monotonic() - start
                left = os.listdir(tmp)
            check(status == 128 + signo, "%s: status %s: %s" % (what, status, err))
            check(took < 30, "%s: took %.1f s to stop" % (what, took))
            check(left == [], "%s: left %s" % (what, left))
            check("interrupted by %s" % signal.Signals(signo).name in err and out in err,
                  "%s: stderr %r" % (what, err[-300:]))
            children = leftover_children()
            check(children == [], "%s: children left behind: %s" % (what, children))


def dev_topology():
    """What /dev/topology.xml is now (None when absent), to see that a run did not write it."""
    try:
        st = os.stat("/dev/topology.xml")
        return (st.st_ino, st.st_mtime_ns)
    except FileNotFoundError:
        return None


def case_out_devices(binary):
    """A device is written in place and gets no topology.xml beside it (not in /dev); a full one
    (/dev/full) loses the results: status 1 and the reason, where the library alone exits 0."""
    base = ["--size=tiny", "--workloads=countdown", "--policies=py3", "--modes=seq",
            "--placements=os"]
    before = dev_topology()
    status, _, err = run(binary, base + ["--benchmark_out=/dev/full"])
    check(status == 1, "/dev/full: status %d: %s" % (status, err))
    check("gilbench: cannot write /dev/full: No space left on device" in err.splitlines(),
          "/dev/full: stderr %r" % err[-300:])
    check(os.path.exists("/dev/full") and not os.path.isfile("/dev/full"), "/dev/full replaced")
    status, _, err = run(binary, base + ["--benchmark_out=/dev/null"])
    check(status == 0, "/dev/null: status %d: %s" % (status, err))
    check(dev_topology() == before, "topology.xml written into /dev")
    # Written in place: a FIFO's reader gets the whole JSON.
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "results")
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(open(fifo).read()), daemon=True)
        reader.start()
        status, _, err = run(binary, base + ["--benchmark_out=" + fifo,
                                             "--benchmark_out_format=json"])
        reader.join(timeout=10)
        check(status == 0, "FIFO: status %d: %s" % (status, err))
        check(got and json.loads(got[0])["benchmarks"], "FIFO: got %r" % got)
        check(sorted(os.listdir(tmp)) == ["results"], "FIFO: left %s" % os.listdir(tmp))


def drop_to_nobody():
    """preexec_fn: run as nobody when root (for whom no directory is unwritable)."""
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)


def case_out_unwritable(binary):
    """A --benchmark_out that cannot take a file is a usage error found before anything runs:
    status 2, one line naming the path and why, no file anywhere (the library alone would exit 1
    after the run, or write the topology first)."""
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        readonly = os.path.join(tmp, "readonly")
        os.mkdir(readonly, 0o555)
        os.mkdir(os.path.join(tmp, "results"))
        os.symlink("results", os.path.join(tmp, "latest"))
        cases = [(os.path.join(readonly, "out.json"), "Permission denied", drop_to_nobody),
                 (os.path.join(tmp, "missing", "out.json"), "No such file or directory", None),
                 (os.path.join(tmp, "results"), "Is a directory", None),
                 (os.path.join(tmp, "latest"), "Is a directory", None)]
        for out, why, preexec in cases:
            proc = subprocess.run([binary, "--size=tiny", "--workloads=countdown",
                                   "--policies=py3", "--modes=seq", "--placements=os",
                                   "--benchmark_out=" + out], capture_output=True, text=True,
                                  preexec_fn=preexec, timeout=60)
            check(proc.returncode == 2, "%s: status %d: %s" % (out, proc.returncode, proc.stderr))
            check(proc.stderr.strip() == "gilbench: --benchmark_out=%s: %s" % (out, why),
                  "%s: stderr %r" % (out, proc.stderr))
            check(proc.stdout == "", "%s ran benchmarks" % out)
        left = sorted(os.path.relpath(os.path.join(d, n), tmp)
                      for d, ds, fs in os.walk(tmp) for n in ds + fs)
        check(left == ["latest", "readonly", "results"], "files left: %s" % left)


def case_workload_is_directory(binary):
    """A workload file that is a directory is no empty program: its rows are error rows naming
    the file and the reason, and the other workloads' rows run."""
    with tempfile.TemporaryDirectory() as tmp:
        workloads = copy_workloads(tmp)
        os.remove(os.path.join(workloads, "countdown.py"))
        os.mkdir(os.path.join(workloads, "countdown.py"))
        rows, _ = run_tiny(binary, ["--workload_dir=" + workloads,
                                    "--workloads=countdown,factorize", "--policies=py3",
                                    "--modes=seq,threads,processes", "--threads=2",
                                    "--placements=os"])
    message = "cannot read workload %s/countdown.py: Is a directory" % workloads
    for mode in ["seq/1", "threads/2", "processes/2"]:
        row = rows["countdown/py3/%s/os" % mode]
        check(row.get("error_occurred") and row["error_message"] == message,
              "countdown %s: %s" % (mode, row.get("error_message")))
        row = rows["factorize/py3/%s/os" % mode]
        check(not row.get("error_occurred"), "factorize %s: %s" % (mode, row.get("error_message")))
    status, _, err = run(binary, ["--workload_dir=" + os.path.join(tmp, "gone")])
    check(status == 2 and "workload directory" in err and "No such file or directory" in err,
          "a missing --workload_dir: status %d, %r" % (status, err))


def limit_memory():
    """preexec_fn: 2 GiB of address space, far more than a tiny row needs."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def case_out_of_memory(binary):
    """Under `ulimit -v`, a workload that allocates more than the limit (in its function: on the
    VM's worker threads; at module level: while gilbench loads it) fails its rows in every mode
    as error rows; the run goes on and its JSON is whole (it used to abort, status 134)."""
    with tempfile.TemporaryDirectory() as tmp:
        workloads = copy_workloads(tmp)
        for name, old, new in [("countdown.py", "def countdown(n):\n",
                                "def countdown(n):\n    big = [0] * (n * 5000)\n"),
                               ("sleep.py", "\nimport time\n", "\nimport time\n\n"
                                "_big = [0] * 1000000000\n")]:
            path = os.path.join(workloads, name)
            with open(path) as f:
                text = f.read()
            check(old in text, "%s changed: %r not found" % (name, old))
            with open(path, "w") as f:
                f.write(text.replace(old, new, 1))
        out = os.path.join(tmp, "out.json")
        args = ["--size=tiny", "--workload_dir=" + workloads, "--policies=py3",
                "--modes=seq,threads,processes", "--threads=2", "--placements=os",
                "--benchmark_out=" + out, "--benchmark_out_format=json"]
        control = subprocess.run([binary, "--workloads=factorize"] + args, capture_output=True,
                                 text=True, preexec_fn=limit_memory, timeout=120)
        if control.returncode != 0:  # a sanitizer's shadow memory does not fit
            print("skip: gilbench cannot run under RLIMIT_AS here: " + control.stderr[-200:])
            sys.exit(SKIP)
        proc = subprocess.run([binary, "--workloads=countdown,sleep,factorize"] + args,
                              capture_output=True, text=True, preexec_fn=limit_memory,
                              timeout=120)
        check(proc.returncode == 0, "status %d: %s" % (proc.returncode, proc.stderr[-500:]))
        with open(out) as f:
            rows = by_name(json.load(f))
    check(len(rows) == 9, "rows: %s" % sorted(rows))
    for name, row in rows.items():
        if name.startswith("factorize"):
            check(not row.get("error_occurred"), "%s: %s" % (name, row.get("error_message")))
        else:
            check(row.get("error_occurred") and "MemoryError" in row["error_message"],
                  "%s: %s" % (name, row.get("error_message")))


SCHED_COUNTERS = ["task_clock_ns", "sched_run_delay_ns", "sched_timeslices", "cpu_migrations",
                  "page_faults"]
SCHED_FLAGS = ["--workloads=countdown", "--policies=py3", "--modes=seq,threads,processes",
               "--threads=2", "--placements=os"]


def sched_sources(data):
    """The context's sched_counters as {metric: source}, and the whole text."""
    text = data["context"].get("sched_counters", "")
    check(text, "context lacks sched_counters")
    sources = {}
    for part in text.split(";")[0].split(","):
        metric, _, source = part.strip().partition("=")
        sources[metric] = source
    check(sorted(sources) == sorted(SCHED_COUNTERS), "sched_counters names: " + text)
    return sources, text


def check_sched_rows(data):
    """Every row counts every scheduler metric, and its task clock is no more than the CPU time
    the process used (the workers are a part of the process; 1.5x and 5 ms of slack for the
    difference in how the two clocks are sampled)."""
    for name, row in by_name(data).items():
        check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
        for key in SCHED_COUNTERS:
            check(key in row and row[key] >= 0, "%s lacks counter %s" % (name, key))
        cpu_ns = (row["cpu_user_s"] + row["cpu_sys_s"]) * 1e9
        check(0 < row["task_clock_ns"] <= 1.5 * cpu_ns + 5e6,
              "%s: task_clock_ns %s against %s ns of process CPU time"
              % (name, row["task_clock_ns"], cpu_ns))


def case_sched_counters(binary):
    """The scheduler's figures need no PMU: with GILBENCH_NO_PMU every row still has them, and
    the context names the source of each metric."""
    data, _ = run_json(binary, SCHED_FLAGS, env={"GILBENCH_NO_PMU": "1"})
    sources, text = sched_sources(data)
    check(sources["sched_run_delay_ns"] == "/proc/thread-self/schedstat", text)
    check(all(s != "absent" for s in sources.values()), text)
    check_sched_rows(data)


def case_sched_without_perf(binary):
    """When the kernel refuses perf software events (forced here, and as an ordinary user at
    perf_event_paranoid 2, where only user-space counting is allowed and would count zero
    migrations), every metric comes from /proc and the context says why."""
    data, _ = run_json(binary, SCHED_FLAGS, env={"GILBENCH_NO_PERF_EVENTS": "1"})
    sources, text = sched_sources(data)
    check(all(s.startswith(("/proc/", "clock_gettime")) for s in sources.values()), text)
    check("GILBENCH_NO_PERF_EVENTS" in text, text)
    check_sched_rows(data)
    if os.geteuid() != 0:
        return
    paranoid = open("/proc/sys/kernel/perf_event_paranoid").read().strip()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o777)
        out = os.path.join(tmp, "out.json")
        proc = subprocess.run([binary, "--size=tiny", "--benchmark_out=" + out,
                               "--benchmark_out_format=json"] + SCHED_FLAGS,
                              capture_output=True, text=True, preexec_fn=drop_to_nobody,
                              cwd=tmp, timeout=120)
        check(proc.returncode == 0, "as nobody: status %d: %s" % (proc.returncode, proc.stderr))
        with open(out) as f:
            data = json.load(f)
    sources, text = sched_sources(data)
    if int(paranoid) >= 2:
        check(all(s.startswith(("/proc/", "clock_gettime")) for s in sources.values()),
              "as nobody: " + text)
        check("refused" in text, "as nobody: " + text)
    check_sched_rows(data)


def case_sched_absent(binary):
    """No source at all: the metrics are absent from every row (never zero) and the context
    says why."""
    data, _ = run_json(binary, SCHED_FLAGS,
                       env={"GILBENCH_NO_PERF_EVENTS": "1", "GILBENCH_NO_PROC_SCHED": "1"})
    sources, text = sched_sources(data)
    check(all(s == "absent" for s in sources.values()), text)
    check("GILBENCH_NO_PROC_SCHED" in text and "GILBENCH_NO_PERF_EVENTS" in text, text)
    for name, row in by_name(data).items():
        check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
        for key in SCHED_COUNTERS:
            check(key not in row, "%s has %s with no source" % (name, key))
        # The gaps' CPU wait comes from schedstat too: with gaps to split, it is absent.
        if row.get("gil_gap_ns_total", 0) > 0:
            check("gil_gap_cpu_wait_ns" not in row, "%s has gil_gap_cpu_wait_ns" % name)
        check("gil_acquisitions" in row and "cpu_user_s" in row, name + " lost other counters")


def case_gil_accounting(binary):
    """The GIL's accounting on threads rows: the VM's ticks, the rate while holding, handoff
    gaps no longer than the waits, off-CPU time no longer than the holdings, and fairness as
    Jain's index, between 1/n and 1 -- on threads rows of two workers or more (holding and
    work) and processes rows (CPU share and work, with the slowest child's figures)."""
    data, _ = run_json(binary, ["--workloads=countdown", "--policies=py2,py3,fifo,subinterp",
                                "--modes=seq,threads,processes", "--threads=2",
                                "--placements=os"])
    pmu = data["context"]["pmu_status"].startswith("available")
    for name, row in by_name(data).items():
        # The holder's effective frequency and IPC: with a PMU, within what a CPU can do (the
        # group may have been multiplexed, then it is absent); without one, always absent.
        if pmu and "gil_hold_ipc" in row:
            check(50 < row["gil_hold_cycles_per_us"] < 10000 and 0 < row["gil_hold_ipc"] < 10,
                  "%s: %s cycles/us, IPC %s" % (name, row["gil_hold_cycles_per_us"],
                                                row["gil_hold_ipc"]))
        elif not pmu:
            check("gil_hold_ipc" not in row and "gil_hold_cycles_per_us" not in row,
                  "%s has hardware figures without a PMU" % name)
        check(not row.get("error_occurred"), "%s failed: %s" % (name, row.get("error_message")))
        for key in ("vm_ticks", "gil_hold_ns_total", "gil_gap_ns_total", "gil_hold_offcpu_ns",
                    "gil_holdings_after_move", "vm_ticks_per_us_held"):
            check(key in row, "%s lacks %s" % (name, key))
        check(row["vm_ticks"] > 0 and row["vm_ticks_per_us_held"] > 0, name + ": no ticks")
        check(row["gil_gap_ns_total"] <= row["gil_wait_ns_total"],
              "%s: gaps %s > waits %s" % (name, row["gil_gap_ns_total"], row["gil_wait_ns_total"]))
        check("gil_idle_ns" in row, name + " lacks gil_idle_ns")
        check(row.get("gil_gap_cpu_wait_ns", -1) <= row["gil_gap_ns_total"] and
              "gil_gap_cpu_wait_ns" in row, "%s: CPU wait %s of gaps %s" % (
                  name, row.get("gil_gap_cpu_wait_ns"), row["gil_gap_ns_total"]))
        check(row["gil_hold_offcpu_ns"] <= row["gil_hold_ns_total"],
              "%s: off CPU %s > held %s" % (name, row["gil_hold_offcpu_ns"],
                                             row["gil_hold_ns_total"]))
        side_by_side = "/processes/" in name or ("/threads/" in name and "/subinterp/" in name)
        if "/threads/" in name and not side_by_side:
            expected = ("fairness_hold", "fairness_work")
        elif side_by_side:  # the workers' CPU shares and rates of work
            expected = ("fairness_cpu", "fairness_work")
        else:
            expected = ()
        for key in expected:
            check(0.5 - 1e-9 <= row.get(key, -1) <= 1 + 1e-9, "%s: %s %s" % (
                name, key, row.get(key)))
        for key in ("fairness_hold", "fairness_cpu", "fairness_work"):
            check(key in expected or key not in row, "%s has %s" % (name, key))
        # processes rows: the slowest child, the run's critical path, inside the row's time.
        slowest = [key for key in row if key.startswith("slowest_worker_")]
        if side_by_side:
            check(sorted(slowest) == ["slowest_worker_run_delay_ns", "slowest_worker_task_clock_ns",
                                      "slowest_worker_vm_ticks", "slowest_worker_wall_ns"],
                  "%s: %s" % (name, slowest))
            check(0 < row["slowest_worker_wall_ns"] <= row["real_time"] * 1e6 + 1,
                  "%s: slowest child %s ns in a %s ms row" % (
                      name, row["slowest_worker_wall_ns"], row["real_time"]))
            check(row["vm_ticks"] / 2 <= row["slowest_worker_vm_ticks"] <= row["vm_ticks"],
                  "%s: slowest child's ticks %s of %s" % (name, row["slowest_worker_vm_ticks"],
                                                          row["vm_ticks"]))
        else:
            check(not slowest, "%s has %s" % (name, slowest))


def case_blame(binary):
    """--blame=DIR (created if missing): a folded file and a JSON summary per threads row, none
    for seq or processes rows (no other thread shares their GIL); in the latency row the echo
    thread's waits are charged to the burn thread inside io_trio.py."""
    with tempfile.TemporaryDirectory() as tmp:
        blame = os.path.join(tmp, "blame")
        data, _ = run_json(binary, ["--workloads=latency", "--policies=py3",
                                    "--modes=threads,processes", "--cpu-threads=1",
                                    "--placements=os", "--blame=" + blame])
        check(len(by_name(data)) == 2, "rows: %s" % sorted(by_name(data)))
        files = sorted(os.listdir(blame))
        check(files == ["latency_py3_threads_1_os.asked.folded",
                        "latency_py3_threads_1_os.folded", "latency_py3_threads_1_os.json"],
              "blame files: %s" % files)
        with open(os.path.join(blame, "latency_py3_threads_1_os.json")) as f:
            top = json.load(f)["entries"][0]
        check("(echo)" in top["waiter"] and "(burn)" in top["holder"], "top charge: %r" % top)
        check(top["location"].endswith(")") and "io_trio.py:" in top["location"],
              "location: %r" % top["location"])
        check("(burn)" in top["asked_holder"] and "io_trio.py:" in top["asked_location"],
              "asked: %r" % top)
        # A --blame that is a file is a usage error: status 2, nothing run.
        status, out, err = run(binary, ["--size=tiny", "--workloads=countdown",
                                        "--blame=" + os.path.join(blame,
                                                                  "latency_py3_threads_1_os.json")])
        check(status == 2 and "--blame" in err and out == "", "status %d: %s" % (status, err))


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CASES:
        print("usage: %s {%s} GILBENCH" % (sys.argv[0], ",".join(CASES)), file=sys.stderr)
        return 2
    try:
        CASES[sys.argv[1]](os.path.abspath(sys.argv[2]))  # some cases change directory
    except Failure as failure:
        print("FAIL: %s" % failure, file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
