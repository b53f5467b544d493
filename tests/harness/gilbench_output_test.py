#!/usr/bin/python3
"""Output tests of the gilbench binary, in Google Benchmark's output-test style: run the real
binary on a small filter with --size=quick and JSON output, then check the benchmark names, user
counters, context keys and error rows. One case per ctest test:

    gilbench_output_test.py CASE /path/to/gilbench

Exit status 0 pass, 1 fail, 77 skip (ctest SKIP_RETURN_CODE).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
GIL_COUNTERS = ["gil_acquisitions", "gil_handoffs", "gil_futile_wakeups", "gil_drop_requests",
                "gil_forced_switches", "gil_wait_ns_total", "gil_wait_ns_p50", "gil_wait_ns_p99",
                "gil_wait_ns_max", "gil_hold_ns_p50", "gil_hold_ns_p99"]
OS_COUNTERS = ["cpu_user_s", "cpu_sys_s", "ctx_voluntary", "ctx_involuntary", "result"]
PMU_COUNTERS = ["cycles", "instructions", "cache_misses", "branch_misses"]
CONTEXT_KEYS = ["topology_packages", "topology_cores", "topology_pus", "topology_numa_nodes",
                "topology_smt", "allowed_cpuset", "gil_switch_interval_us", "gil_check_interval",
                "gil_forced_switch", "pmu_status", "git_revision", "compiler", "cxx_flags",
                "gilbench_version"]


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
    """Benchmarks keyed by their matrix name (without the library's /real_time suffix)."""
    rows = {}
    for b in data["benchmarks"]:
        name = b["name"]
        if name.endswith("/real_time"):
            name = name[: -len("/real_time")]
        rows[name] = b
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
        row = rows["countdown/py3/threads/2/spread"]
        check(row.get("error_occurred"), "spread on one core did not report an error")
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


def case_bad_flags(binary):
    bad = [["--workloads=nope"], ["--policies=py9"], ["--placements=moon"], ["--threads=0"],
           ["--modes=serial"], ["--size=huge"], ["--counters=not_an_event_xyz"],
           ["--switch-interval=0"], ["--cpu-threads=-1"], ["--switch-intervals=0"],
           ["--size=enormous"]]
    for args in bad:
        status, out, err = run(binary, args)
        check(status == 2, "%s: status %d" % (args, status))
        lines = err.strip().splitlines()
        check(len(lines) == 1 and lines[0].startswith("gilbench:"), "%s: stderr %r" % (args, err))
        check(out == "", "%s ran benchmarks: %r" % (args, out[:200]))


def case_default_output(binary):
    with tempfile.TemporaryDirectory() as tmp:
        status, _, err = run(binary, ["--size=quick", "--workloads=countdown", "--policies=py3",
                                      "--modes=seq", "--placements=os", "--results_dir=" + tmp])
        check(status == 0, "status %d: %s" % (status, err))
        machines = os.listdir(tmp)
        check(len(machines) == 1, "machines: %s" % machines)
        stamps = os.listdir(os.path.join(tmp, machines[0]))
        check(len(stamps) == 1 and len(stamps[0]) == 15, "stamps: %s" % stamps)
        run_dir = os.path.join(tmp, machines[0], stamps[0])
        check(sorted(os.listdir(run_dir)) == ["gilbench.json", "topology.xml"],
              "files: %s" % os.listdir(run_dir))
        with open(os.path.join(run_dir, "gilbench.json")) as f:
            data = json.load(f)
        check(list(by_name(data)) == ["countdown/py3/seq/1/os"], "rows: %s" % list(by_name(data)))


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


def write_failing_workloads(tmp):
    """A copy of the workloads whose VM side fails mid-run with a ZeroDivisionError (the subset
    has no raise statement): the echo after answering two messages, the relay after relaying
    one, the writer at once."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "workloads")
    dst = os.path.join(tmp, "workloads")
    shutil.copytree(src, dst)
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


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CASES:
        print("usage: %s {%s} GILBENCH" % (sys.argv[0], ",".join(CASES)), file=sys.stderr)
        return 2
    try:
        CASES[sys.argv[1]](sys.argv[2])
    except Failure as failure:
        print("FAIL: %s" % failure, file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
