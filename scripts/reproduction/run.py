#!/usr/bin/python3
"""The reproduction behind scripts/reproduce (which installs and builds first, then runs this).

Three plans:
  standard (the default, about 4 minutes on 2 cores): the rows that carry the story, long enough
      for it and repeated in 7 interleaved rounds -- countdown(150,000,000) under every policy,
      one thread, 2 threads where the OS puts them and on one core, 2 processes; CPython on the
      same file in the same rounds; a traced run for the GIL timeline.
  quick (the CI smoke test, under 3 minutes): one round of every workload at small sizes. One
      round gives no interval, so every claim of a quick report is inconclusive by construction.
  full (about an hour): the whole matrix -- countdown and factorize, every placement, 2 and 4
      threads, the I/O workloads and the ccbench trio, the switch-interval sweep -- in 5 rounds.

Each round runs every row of the plan once (gilbench, then CPython), so a threads run and the
one-thread run it is divided by ran seconds apart: this kind of machine drifts between speeds
from minute to minute, and the report pairs the runs of a round (scripts/reporting/runs.py) and
gives each ratio a bootstrap interval over the rounds (scripts/reporting/stats.py).

The standard plan then looks once at its claims. A claim whose interval straddles a boundary of
the noise floor (it holds 1.05 or 1/1.05) could come out either way from one run to the next:
only its two rows run again, in follow-up rounds, until the claim has twice the planned rounds
or the plan's time is up -- how many rounds run depends on the clock, never on what the rounds
showed, so the extra data cannot steer an outcome. A claim clear of both boundaries keeps its
planned rounds.

Before measuring, the machine's state is probed and recorded (machine_state.json; see
scripts/reporting/machine_state.py): a machine busy with other work stops the run unless --force.
Google Benchmark's console table and the children's progress go to reproduce.log in the run
folder; the terminal gets one progress line per step, with an estimate of the time left, and the
verdict. Every file is written under a temporary name and renamed when complete; a step that fails
is reported and the steps after it still run, so nothing measured is lost.
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
from reporting import claims, machine_state, runs, stats  # noqa: E402
BIN = os.path.join(ROOT, "build", "release", "bin")
POLICIES = "py2,py3,fifo,prio,subinterp"
LOG = "reproduce.log"

# What each plan runs. `cpu` is gilbench's CPU-bound matrix; `io` and `sweep` only where named.
# `estimate_s` is what a round takes on this project's 2-core VM, for the first time-left line.
PLANS = {
    "standard": {"size": "long", "rounds": 7, "threads": "2", "workloads": "countdown",
                 "placements": "os,one-core", "io": False, "sweep": False, "estimate_s": 30,
                 "follow_up_until_s": 280},
    "quick": {"size": "quick", "rounds": 1, "threads": "2", "workloads": "countdown,factorize",
              "placements": "os,one-core,spread,smt,cross-package", "io": True, "sweep": True,
              "cpu_threads": "0,1,2", "intervals": "10,100,1000,5000,100000",
              "estimate_s": 120},
    "full": {"size": "full", "rounds": 5, "threads": "2,4", "workloads": "countdown,factorize",
             "placements": "os,one-core,spread,smt,cross-package", "io": True, "sweep": True,
             "cpu_threads": "0,1,2", "intervals": "1,10,100,1000,5000,100000",
             "estimate_s": 700},
}


def log(message):
    print("reproduce: " + message, file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="scripts/reproduce",
                                     description="Reproduce 'threads are slower than one thread'.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="plan", action="store_const", const="quick",
                      help="CI smoke test: every workload small, one round (no intervals)")
    size.add_argument("--full", dest="plan", action="store_const", const="full",
                      help="the whole matrix in 5 rounds (about an hour)")
    parser.add_argument("--out", metavar="DIR", help="run directory (default results/<machine>/<stamp>)")
    parser.add_argument("--rounds", type=int, metavar="N",
                        help="rounds of repetitions (default: 7, --quick 1, --full 5); more "
                             "rounds give tighter intervals")
    parser.add_argument("--force", action="store_true",
                        help="measure even when the machine is busy with other work")
    parser.add_argument("--caller-dir", default=os.getcwd(), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.plan = args.plan or "standard"
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")
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


def _duration(seconds):
    seconds = max(0, int(round(seconds)))
    return "%d min %02d s" % divmod(seconds, 60) if seconds >= 60 else "%d s" % seconds


class Steps:
    """Runs the steps in order, their output into the log, timing each and keeping the failures
    for the summary; estimates the time left from the rounds done so far."""

    def __init__(self, total, log_path, estimate_round_s, rounds):
        self.total = total
        self.done = 0
        self.failures = []
        self.log_path = log_path
        self.rounds = rounds
        self.estimate_round_s = estimate_round_s
        self.round_times = []
        self.started = time.monotonic()

    def time_left(self, rounds_done):
        per_round = (sum(self.round_times) / len(self.round_times) if self.round_times
                     else self.estimate_round_s)
        return per_round * (self.rounds - rounds_done) + 10  # the trace and the report

    def round_done(self, seconds, rounds_done):
        self.round_times.append(seconds)
        log("      round %d/%d took %s; about %s left" % (
            rounds_done, self.rounds, _duration(seconds), _duration(self.time_left(rounds_done))))

    def run(self, title, command, stdout=None, numbered=True):
        if numbered:
            self.done += 1
            log("[%d/%d] %s" % (self.done, self.total, title))
        else:
            log("      " + title)
        start = time.monotonic()
        with open(self.log_path, "a") as log_file:
            log_file.write("\n=== %s\n$ %s\n" % (title, " ".join(command)))
            log_file.flush()
            status = subprocess.run(command, stdout=stdout or log_file, stderr=log_file,
                                    cwd=ROOT).returncode
        took = time.monotonic() - start
        if status != 0:
            self.failures.append("%s (exit status %d; see %s)" % (title, status, LOG))
            log("      failed with status %d after %.0f s (its output: %s)" % (
                status, took, self.log_path))
            return False
        return True


def gilbench(plan, out, flags):
    return [os.path.join(BIN, "gilbench"), "--size=" + plan["size"],
            "--benchmark_out=" + out, "--benchmark_out_format=json",
            "--benchmark_format=console", "--benchmark_counters_tabular=false"] + flags


def combine(parts, rounds):
    """(document, parts left out): one Google Benchmark document of the parts' benchmarks, with
    the first part's context. `parts` are (path, round): each iteration row gets its round as its
    repetition_index. A part that is missing or not whole JSON (its step was killed) is left out
    and named; the document is None when no part was whole."""
    merged, left_out = None, []
    for part, round_index in parts:
        try:
            with open(part) as f:
                data = json.load(f)
        except (OSError, ValueError):
            left_out.append(os.path.basename(part))
            continue
        for row in data.get("benchmarks", []):
            row["repetitions"] = rounds
            row["repetition_index"] = round_index
        if merged is None:
            merged = data
        else:
            merged["benchmarks"].extend(data.get("benchmarks", []))
    if merged is not None:
        merged.setdefault("context", {})["repetitions_in_rounds"] = \
            "true" if rounds > 1 else "false"
    return merged, left_out


def merge(parts, dest, rounds):
    """The parts combined into dest; the parts themselves are removed only once dest is written.
    Returns (the parts left out, whether dest was written)."""
    merged, left_out = combine(parts, rounds)
    if merged is None:
        return left_out, False
    write_json(merged, dest)
    for part, _ in parts:
        if os.path.exists(part):
            os.remove(part)
    return left_out, True


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


def check_machine(out, force):
    """Probe the machine (waiting up to 30 s for a build to settle), record it, and say whether
    to go on: a busy machine stops the run unless --force."""
    binaries = [os.path.join(BIN, name) for name in ("gilbench", "gilvm")]
    state = machine_state.wait_until_quiet(binaries, 30, log)
    state["forced"] = bool(force and state["busy_beyond_threshold"])
    write_json(state, os.path.join(out, machine_state.STATE_JSON))
    log("machine: " + machine_state.describe(state))
    for warning in machine_state.warnings(state):
        log("warning: " + warning)
    if state["busy_beyond_threshold"] and not force:
        log("the machine is busy with other work (%d%% of its CPUs): its numbers would not be "
            "this machine's. Stop what runs beside, or measure anyway with --force."
            % round(100 * state["busy_fraction"]))
        return False
    return True


def round_steps(plan, out, r, steps, parts):
    """Round r of the plan: gilbench's rows, then CPython's on the same files."""
    rounds = plan["rounds"]
    lead = "round %d/%d: " % (r + 1, rounds) if rounds > 1 else ""

    def part(name):
        path = os.path.join(out, "%s.%d.part.json" % (name, r))
        parts.setdefault(name, []).append((path, r))
        return path

    steps.run(lead + "gilbench: %s, every policy, seq / %s threads (%s) / processes" % (
        plan["workloads"], plan["threads"], plan["placements"]),
        gilbench(plan, part("cpu"), ["--workloads=" + plan["workloads"], "--policies=" + POLICIES,
                                     "--modes=seq,threads,processes",
                                     "--threads=" + plan["threads"],
                                     "--placements=" + plan["placements"]]))
    workloads = plan["workloads"]
    if plan["io"]:
        workloads += ",sleep,native,pipe_io,latency,bandwidth,convoy"
        steps.run(lead + "gilbench: I/O workloads and the ccbench trio (0-2 CPU threads)",
                  gilbench(plan, part("io"),
                           ["--workloads=sleep,native,pipe_io,latency,bandwidth,convoy",
                            "--policies=" + POLICIES, "--modes=seq,threads,processes",
                            "--threads=" + plan["threads"].split(",")[0],
                            "--cpu-threads=" + plan["cpu_threads"], "--placements=os"]))
    if plan["sweep"]:
        steps.run(lead + "gilbench: switch-interval sweep (%s us) under py3, fifo, prio"
                  % plan["intervals"],
                  gilbench(plan, part("sweep"), ["--switch-intervals=" + plan["intervals"],
                                                 "--policies=py3,fifo,prio"]))
    steps.run(lead + "CPython %s: the same .py files, sequential, threading, multiprocessing"
              % sys.version.split()[0],
              ["/usr/bin/python3", os.path.join(ROOT, "scripts", "cpython-bench"),
               "--size", plan["size"], "--workloads", workloads, "--threads", plan["threads"],
               "--cpu-threads", plan.get("cpu_threads", "0"), "--repetitions", "1",
               "--out", part("cpython")])


def interim_claims(parts, rounds):
    """The claims the parts measured so far make (nothing is written)."""
    files = []
    for name in ("cpu", "cpython"):  # gilbench's first: it wins a clash of names
        document, _ = combine(parts.get(name, []), rounds)
        if document is not None:
            try:
                files.append(runs.parse(document, name))
            except runs.LoadError:
                pass
    if not files:
        return []
    results = runs.Results(files)
    return claims.all_claims(results, results.workloads())


def _regex_literal(text):
    """text as a POSIX extended regex (Google Benchmark's filter) matching only itself;
    re.escape's `\\-` is not valid there."""
    return "".join("\\" + ch if ch in ".^$*+?()[]{}|\\" else ch for ch in text)


def follow_up_steps(plan, out, r, near, steps, parts):
    """Follow-up round r: only the rows of the claims near the floor, gilbench's then CPython's."""
    def part(name):
        path = os.path.join(out, "%s.%d.part.json" % (name, r))
        parts.setdefault(name, []).append((path, r))
        return path

    ours = [c for c in near if c.key.policy != "cpython"]
    cpython = [c for c in near if c.key.policy == "cpython"]
    if ours:
        names = sorted({c.row_name for c in ours} | {c.baseline_name for c in ours})
        steps.run("gilbench: the %d rows of those claims" % len(names),
                  gilbench(plan, part("cpu"), [
                      "--workloads=" + plan["workloads"], "--policies=" + POLICIES,
                      "--modes=seq,threads,processes", "--threads=" + plan["threads"],
                      "--placements=" + plan["placements"],
                      "--benchmark_filter=^(%s)/" % "|".join(map(_regex_literal, names))]),
                  numbered=False)
    if cpython:
        modes = sorted({"seq"} | {c.key.mode for c in cpython}, key=runs.MODE_ORDER.index)
        threads = ",".join(str(n) for n in sorted({c.key.n for c in cpython}))
        steps.run("CPython: %s, %s" % (",".join(sorted({c.key.workload for c in cpython})),
                                       "/".join(modes)),
                  ["/usr/bin/python3", os.path.join(ROOT, "scripts", "cpython-bench"),
                   "--size", plan["size"],
                   "--workloads", ",".join(sorted({c.key.workload for c in cpython})),
                   "--modes", ",".join(modes), "--threads", threads, "--cpu-threads", "0",
                   "--repetitions", "1", "--out", part("cpython")],
                  numbered=False)


def follow_up(plan, out, steps, parts, rounds):
    """Follow-up rounds for the claims whose interval straddles a boundary of the noise floor,
    while the plan's time allows and until they have twice the planned rounds. The claims are
    chosen once, from the planned rounds; the number of follow-up rounds depends only on the
    clock. Returns the number of rounds run in all."""
    near = [c for c in interim_claims(parts, rounds) if c.estimate.straddles_floor()]
    if not near:
        log("every claim is clear of the %d%% boundaries: no follow-up rounds"
            % round(100 * stats.NOISE_FLOOR))
        return rounds
    log("%d claim%s straddle%s a %d%% boundary; %s rows run again while time allows "
        "(up to %d more rounds):" % (
            len(near), "" if len(near) == 1 else "s", "s" if len(near) == 1 else "",
            round(100 * stats.NOISE_FLOOR), "its" if len(near) == 1 else "their", rounds))
    for c in near:
        log("      %s  %.2fx [%.2f-%.2f]" % (c.row_name, c.estimate.ratio, c.estimate.low,
                                          c.estimate.high))
    deadline = steps.started + plan["follow_up_until_s"]
    r, last = rounds, 0.0
    while r < 2 * rounds and time.monotonic() + last <= deadline:
        started = time.monotonic()
        log("follow-up round %d:" % (r - rounds + 1))
        follow_up_steps(plan, out, r, near, steps, parts)
        last = time.monotonic() - started
        r += 1
    log("      %d follow-up round%s" % (r - rounds, "" if r - rounds == 1 else "s"))
    return r


def main(argv):
    args = parse_args(argv)
    plan = dict(PLANS[args.plan])
    plan["rounds"] = args.rounds or plan["rounds"]
    out = run_dir(args)
    log_path = os.path.join(out, LOG)
    log("%s reproduction into %s (details in %s)" % (args.plan, out, LOG))
    if not check_machine(out, args.force):
        return 3
    rounds = plan["rounds"]
    per_round = 2 + int(plan["io"]) + int(plan["sweep"])
    steps = Steps(per_round * rounds + 2, log_path, plan["estimate_s"], rounds)
    log("%d round%s of %s; about %s in all%s" % (
        rounds, "" if rounds == 1 else "s", plan["size"], _duration(steps.time_left(0)),
        "" if not plan.get("follow_up_until_s") else
        ", then follow-up rounds for claims near the noise floor while time allows (up to %s)"
        % _duration(plan["follow_up_until_s"] + 10)))
    parts = {}
    for r in range(rounds):
        started = time.monotonic()
        round_steps(plan, out, r, steps, parts)
        steps.round_done(time.monotonic() - started, r + 1)
    if plan.get("follow_up_until_s") and rounds >= stats.MIN_ROUNDS:
        rounds = follow_up(plan, out, steps, parts, rounds)
    for name, dest in (("cpu", "gilbench.json"), ("cpython", "cpython.json")):
        # gilbench.json holds every gilbench part (cpu, io, sweep) of every round.
        sources = parts["cpu"] + parts.get("io", []) + parts.get("sweep", []) \
            if name == "cpu" else parts["cpython"]
        left_out, wrote = merge(sources, os.path.join(out, dest), rounds)
        if left_out:
            steps.failures.append("%s: parts missing or cut short, left out: %s" % (
                dest, ", ".join(left_out)))
        if not wrote:
            steps.failures.append("no run produced %s" % dest)
    # Two threads counting down 2,000,000 under py3 with a 1 ms interval: a few dozen switches,
    # small enough for a readable timeline.
    steps.run("gilvm --trace: countdown in 2 threads under py3 (the GIL timeline)",
              [os.path.join(BIN, "gilvm"), "--gil=py3", "--switch-interval=1000",
               "--trace=" + os.path.join(out, "trace.json"),
               os.path.join(ROOT, "workloads", "countdown.py"), "2000000", "2"],
              stdout=subprocess.DEVNULL)
    steps.run("report: report.md, report.html, verdict.json, charts",
              ["/usr/bin/python3", os.path.join(ROOT, "scripts", "report"), out])
    log("done in %s" % _duration(time.monotonic() - steps.started))
    report = os.path.join(out, "report.md")
    if os.path.exists(report):
        print()
        for line in verdict_lines(report):
            print(line)
        print()
        print("Report: " + report)
        print("        " + os.path.join(out, "report.html"))
        print("Claims: " + os.path.join(out, "verdict.json"))
    if steps.failures:
        log("some steps failed: " + "; ".join(steps.failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
