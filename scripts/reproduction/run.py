#!/usr/bin/python3
"""The reproduction behind scripts/reproduce (which installs and builds first, then runs this).

Runs, into one run directory:
  1. gilbench's CPU-bound matrix: countdown and factorize x seq/threads/processes x every policy
     x placements os, one-core, spread, smt, cross-package (the last two are error rows with the
     reason where the machine cannot give them);
  2. the I/O workloads (sleep, native, pipe_io) and the ccbench trio (latency, bandwidth, convoy
     with 0-2 CPU threads beside the I/O thread), placement os;
  3. the switch-interval sweep under py3, fifo and prio;
  4. a short traced run of countdown in two threads (gilvm --trace) for the GIL timeline;
  5. CPython on the same .py files (scripts/cpython-bench) into cpython.json;
and then scripts/report. --full repeats steps 1-3 in rounds (the whole of round r before round
r + 1), so that a threads run and its one-thread run of the same round ran minutes apart at most:
this kind of machine drifts between speeds from minute to minute, and the report pairs the runs of
a round (scripts/reporting/runs.py). The gilbench runs are merged into one gilbench.json (Google
Benchmark JSON, the first run's context, each row's repetition_index its round). Every file is written under a temporary name and renamed when
complete, so an interrupted reproduction leaves no half-written result; a step that fails is
reported and the steps after it still run, so nothing measured is lost.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from cpython_bench.output import write_json  # noqa: E402  (atomic: temporary file, then rename)
BIN = os.path.join(ROOT, "build", "release", "bin")
POLICIES = "py2,py3,fifo,prio,subinterp"

# What --quick and --full run. Quick: one round of the small jobs (under 3 minutes on 2 cores).
# Full: the real sizes in five rounds, so medians and their spread mean something on a noisy
# machine.
PLANS = {
    "quick": {"size": "quick", "rounds": 1, "threads": "2", "cpu_threads": "0,1,2",
              "intervals": "10,100,1000,5000,100000"},
    "full": {"size": "full", "rounds": 5, "threads": "2,4", "cpu_threads": "0,1,2",
             "intervals": "1,10,100,1000,5000,100000"},
}


def log(message):
    print("reproduce: " + message, file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="scripts/reproduce",
                                     description="Reproduce 'threads are slower than one thread'.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="plan", action="store_const", const="quick",
                      help="small jobs, one repetition (default; under 3 minutes on 2 cores)")
    size.add_argument("--full", dest="plan", action="store_const", const="full",
                      help="real sizes, 5 rounds of repetitions")
    parser.add_argument("--out", metavar="DIR", help="run directory (default results/<machine>/<stamp>)")
    parser.add_argument("--caller-dir", default=os.getcwd(), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.plan = args.plan or "quick"
    return args


def run_dir(args):
    if args.out:
        path = args.out if os.path.isabs(args.out) else os.path.join(args.caller_dir, args.out)
    else:
        machine = subprocess.run([os.path.join(BIN, "gilbench"), "--print_machine_name"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
        path = os.path.join(ROOT, "results", machine, stamp)
    os.makedirs(path, exist_ok=True)
    return path


class Steps:
    """Runs the steps in order, timing each and keeping the failures for the summary."""

    def __init__(self, total):
        self.total = total
        self.done = 0
        self.failures = []

    def run(self, title, command, stdout=None):
        self.done += 1
        log("[%d/%d] %s" % (self.done, self.total, title))
        start = time.monotonic()
        # Children print their own progress lines to stderr, which we pass through.
        status = subprocess.run(command, stdout=stdout, cwd=ROOT).returncode
        took = time.monotonic() - start
        if status != 0:
            self.failures.append("%s (exit status %d)" % (title, status))
            log("      failed with status %d after %.0f s" % (status, took))
            return False
        log("      done in %.0f s" % took)
        return True


def gilbench(plan, out, flags):
    return [os.path.join(BIN, "gilbench"), "--size=" + plan["size"],
            "--benchmark_out=" + out, "--benchmark_out_format=json",
            "--benchmark_format=console", "--benchmark_counters_tabular=false"] + flags


def merge(parts, dest, rounds):
    """One Google Benchmark file of the parts' benchmarks, with the first part's context.
    `parts` are (path, round): each iteration row gets its round as its repetition_index."""
    merged = None
    for part, round_index in parts:
        if not os.path.exists(part):
            continue
        with open(part) as f:
            data = json.load(f)
        for row in data["benchmarks"]:
            row["repetitions"] = rounds
            row["repetition_index"] = round_index
        if merged is None:
            merged = data
        else:
            merged["benchmarks"].extend(data["benchmarks"])
    if merged is None:
        return False
    if rounds > 1:
        merged["context"]["repetitions_in_rounds"] = "true"
    write_json(merged, dest)
    for part, _ in parts:
        if os.path.exists(part):
            os.remove(part)
    return True


def verdict_lines(report_md):
    """The verdict section of report.md, for the terminal."""
    lines = []
    inside = False
    with open(report_md) as f:
        for line in f:
            if line.startswith("## "):
                if inside:
                    break
                inside = "verdict" in line.lower()
                continue
            if inside and line.strip():
                lines.append(line.rstrip())
    return lines


def main(argv):
    args = parse_args(argv)
    plan = PLANS[args.plan]
    out = run_dir(args)
    log("%s reproduction into %s" % (args.plan, out))
    rounds = plan["rounds"]
    parts = []
    steps = Steps(total=3 * rounds + 3)
    for r in range(rounds):
        lead = "round %d/%d: " % (r + 1, rounds) if rounds > 1 else ""
        part = [(os.path.join(out, "%s.%d.part.json" % (name, r)), r)
                for name in ("cpu", "io", "sweep")]
        parts += part
        steps.run(lead + "gilbench: countdown and factorize, every policy, mode and placement",
                  gilbench(plan, part[0][0],
                           ["--workloads=countdown,factorize", "--policies=" + POLICIES,
                            "--modes=seq,threads,processes", "--threads=" + plan["threads"],
                            "--placements=os,one-core,spread,smt,cross-package"]))
        steps.run(lead + "gilbench: I/O workloads and the ccbench trio (0-2 CPU threads)",
                  gilbench(plan, part[1][0],
                           ["--workloads=sleep,native,pipe_io,latency,bandwidth,convoy",
                            "--policies=" + POLICIES, "--modes=seq,threads,processes",
                            "--threads=" + plan["threads"].split(",")[0],
                            "--cpu-threads=" + plan["cpu_threads"], "--placements=os"]))
        steps.run(lead + "gilbench: switch-interval sweep (%s us) under py3, fifo, prio"
                  % plan["intervals"],
                  gilbench(plan, part[2][0], ["--switch-intervals=" + plan["intervals"],
                                              "--policies=py3,fifo,prio"]))
    if not merge(parts, os.path.join(out, "gilbench.json"), rounds):
        steps.failures.append("no gilbench run produced results")
    # Two threads counting down 2,000,000 under py3 with a 1 ms interval: a few dozen switches,
    # small enough for a readable timeline.
    steps.run("gilvm --trace: countdown in 2 threads under py3 (the GIL timeline)",
              [os.path.join(BIN, "gilvm"), "--gil=py3", "--switch-interval=1000",
               "--trace=" + os.path.join(out, "trace.json"),
               os.path.join(ROOT, "workloads", "countdown.py"), "2000000", "2"],
              stdout=subprocess.DEVNULL)
    steps.run("CPython (%s): the same .py files, sequential, threading, multiprocessing"
              % sys.version.split()[0],
              ["/usr/bin/python3", os.path.join(ROOT, "scripts", "cpython-bench"),
               "--size", plan["size"], "--threads", plan["threads"],
               "--cpu-threads", plan["cpu_threads"], "--repetitions", str(rounds),
               "--out", os.path.join(out, "cpython.json")])
    steps.run("report: report.md, report.html, charts",
              ["/usr/bin/python3", os.path.join(ROOT, "scripts", "report"), out])
    report = os.path.join(out, "report.md")
    if os.path.exists(report):
        print()
        for line in verdict_lines(report):
            print(line)
        print()
        print("Report: " + report)
        print("        " + os.path.join(out, "report.html"))
    if steps.failures:
        log("some steps failed: " + "; ".join(steps.failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
