#!/usr/bin/python3
"""Issue 16 figures: bank and pipeline under py2/py3/fifo/prio at n = 2, 4 against one thread,
and pool's pool row against its processes row; gilbench and CPython in interleaved rounds.
Each round runs every row once (one iteration, --size=full); ratios are per round (threads row /
seq row of the same round), reported as median [min-max] over the rounds."""
import json, os, subprocess, sys, statistics
R = int(sys.argv[1]) if len(sys.argv) > 1 else 5
OUT = "/tmp/m16"
GB = "/work/main/build/release/bin/gilbench"
CPB = "/work/main/scripts/cpython-bench"
rows = {}  # name -> list of row dicts (one per round)

def add(path):
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        name = b["name"].replace("/process_time", "").replace("/real_time", "")
        if b.get("error_occurred"):
            print("ERROR", name, b.get("error_message"), file=sys.stderr)
            continue
        rows.setdefault(name, []).append(b)

for r in range(R):
    print("round", r + 1, "load", open("/proc/loadavg").read().split()[:3], file=sys.stderr, flush=True)
    steps = [
        ([GB, "--size=full", "--benchmark_min_time=0.01", "--counters=none", "--placements=os",
          "--workloads=bank,pipeline", "--policies=py2,py3,fifo,prio", "--modes=seq,threads",
          "--threads=2,4"], "gb_bp"),
        ([GB, "--size=full", "--benchmark_min_time=0.01", "--counters=none", "--placements=os",
          "--workloads=pool,executor", "--policies=py3", "--modes=seq,threads,processes,pool",
          "--threads=2"], "gb_pool"),
        ([CPB, "--size", "full", "--workloads", "bank,pipeline", "--modes", "seq,threads",
          "--threads", "2,4", "--quiet"], "cp_bp"),
        ([CPB, "--size", "full", "--workloads", "pool,executor", "--modes",
          "seq,threads,processes,pool", "--threads", "2", "--quiet"], "cp_pool"),
    ]
    for cmd, tag in steps:
        path = "%s/%s_%d.json" % (OUT, tag, r)
        if cmd[0] == GB:
            cmd = cmd + ["--benchmark_out=" + path, "--benchmark_out_format=json"]
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        else:
            subprocess.run(cmd + ["--out", path], stdout=subprocess.DEVNULL, check=True)
        add(path)
json.dump(rows, open(OUT + "/rows.json", "w"))
