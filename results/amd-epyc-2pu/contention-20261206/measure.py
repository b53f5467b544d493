#!/usr/bin/python3
"""How this folder was measured: bank and pipeline under py2, py3, fifo and prio with 1, 2 and 4
threads, pool and executor under py3 in every mode with 2 workers, gilbench and CPython 3.11 on
the same files at --size=full, one iteration per row, in interleaved rounds (each round runs
every row once). The rounds are merged as scripts/reproduce merges them (a row's round is its
repetition_index), so scripts/report pairs a threads row with its one-thread row of the same round.

    results/amd-epyc-2pu/contention-20261206/measure.py OUT_DIR [ROUNDS]   (default 5)
    scripts/report OUT_DIR
"""
import importlib.util
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GILBENCH = os.path.join(ROOT, "build", "release", "bin", "gilbench")
CPYTHON_BENCH = os.path.join(ROOT, "scripts", "cpython-bench")
GILBENCH_FLAGS = ["--size=full", "--benchmark_min_time=0.01", "--counters=none",
                  "--placements=os", "--benchmark_out_format=json"]
STEPS = [  # (part, command without its output flag)
    ("gb_bp", [GILBENCH] + GILBENCH_FLAGS + [
        "--workloads=bank,pipeline", "--policies=py2,py3,fifo,prio", "--modes=seq,threads",
        "--threads=2,4"]),
    ("gb_pool", [GILBENCH] + GILBENCH_FLAGS + [
        "--workloads=pool,executor", "--policies=py3", "--modes=seq,threads,processes,pool",
        "--threads=2"]),
    ("cp_bp", [CPYTHON_BENCH, "--size", "full", "--workloads", "bank,pipeline", "--modes",
               "seq,threads", "--threads", "2,4", "--quiet"]),
    ("cp_pool", [CPYTHON_BENCH, "--size", "full", "--workloads", "pool,executor", "--modes",
                 "seq,threads,processes,pool", "--threads", "2", "--quiet"]),
]


def main():
    out = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    os.makedirs(out, exist_ok=True)
    parts = {}
    for r in range(rounds):
        print("round %d, load %s" % (r + 1, " ".join(open("/proc/loadavg").read().split()[:3])),
              flush=True)
        for part, command in STEPS:
            path = os.path.join(out, "%s_%d.json" % (part, r))
            flag = ["--benchmark_out=" + path] if command[0] == GILBENCH else ["--out", path]
            subprocess.run(command + flag, stdout=subprocess.DEVNULL, check=True)
            parts.setdefault(part[:2], []).append((path, r))
    spec = importlib.util.spec_from_file_location(
        "run", os.path.join(ROOT, "scripts", "reproduction", "run.py"))
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    for prefix, dest in (("gb", "gilbench.json"), ("cp", "cpython.json")):
        left_out, _ = run.merge(parts[prefix], os.path.join(out, dest), rounds)
        if left_out:
            sys.exit("left out: " + ", ".join(left_out))
    subprocess.run([os.path.join(ROOT, "build", "release", "bin", "gilvm"), "--gil=prio",
                    "--switch-interval=1000", "--trace=" + os.path.join(out, "trace_bank.json"),
                    os.path.join(ROOT, "workloads", "bank.py"), "time", "4", "40000"],
                   stdout=subprocess.DEVNULL, check=True)


if __name__ == "__main__":
    main()
