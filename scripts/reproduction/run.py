#!/usr/bin/python3
"""The reproduction behind scripts/reproduce (which installs and builds first, then runs this).

Three plans:
  standard (the default, about 4 minutes on 2 cores): the rows that carry the story, long enough
      for it and repeated in 7 interleaved rounds -- countdown(150,000,000) under every policy,
      one thread, 2 threads where the OS puts them and on one core, 2 processes; CPython on the
      same file in the same rounds; a traced run for the GIL timeline.
  quick (the CI smoke test, about a minute on 2 cores): one round of every workload at small
      sizes -- the five that start their own threads or processes (factorize_class, bank,
      pipeline, pool, executor) in seq, threads, processes and pool rows at n = 2. One round gives no interval,
      so every claim of a quick report is inconclusive by construction.
  full (about an hour and a half on 2 cores; --plan says how long here): the whole matrix --
      countdown and factorize, every placement, 2 and 4 threads, the I/O workloads and the
      ccbench trio, the five that start their own threads or processes at n = 2 and 4, the
      switch-interval sweep -- and the scaling curve (threads and processes at n = 1, 2, 4, ...
      up to the PUs this process may use, and twice that), in 5 rounds.
  scaling (a few minutes on 2 cores): the scaling curve alone, at the quick size, in 7 rounds.

Before it measures, a plan is sized: gilbench lists the rows each step would run on this machine
(placements it cannot give are no rows), and the rows times the plan's seconds per row (measured
on this project's 2-core VM) give the estimate printed first. `--plan` prints the steps, their
rows and the estimate, and exits without measuring. The quick plan's rows do not grow with the
machine (2 workers in each placement), so it stays a few minutes on a 64-PU machine too.

Each round runs every row of the plan once (gilbench, then CPython: the five that start their
own threads or processes in a run of their own, at the n of gilbench's step for them and not the
scaling curve's), so a threads run and the one-thread run it is divided by ran seconds apart:
this kind of machine drifts between speeds from minute to minute, and the report pairs the runs
of a round (scripts/reporting/runs.py) and gives each ratio a bootstrap interval over the rounds
(scripts/reporting/stats.py).

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

Ctrl-C (SIGINT) or SIGTERM stops the run: the step running is ended (SIGTERM, then SIGKILL after
STOP_GRACE_S) and its part removed, the parts that are whole are merged into gilbench.json and
cpython.json as at the end of a run, and the run exits with 128 + the signal (130, 143) without
the trace and the report. Whatever is missing -- a step that failed, was interrupted or never
ran, a part cut short -- is recorded in missing_steps.json (scripts/reporting/missing_steps.py),
which the report opens with.
"""
import argparse
import contextlib
import datetime
import json
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from cpython_bench import workloads as cpython_table  # noqa: E402  (cpython-bench's rows)
from cpython_bench.output import write_json  # noqa: E402  (atomic: temporary file, then rename)
from reporting import claims, machine_state, missing_steps, runs, stats  # noqa: E402
BIN = os.path.join(ROOT, "build", "release", "bin")
POLICIES = "py2,py3,fifo,prio,subinterp"
# The workloads that start their own threads or processes (their first argument is how many):
# seq, threads, processes and pool (the workload's own process pool) rows, placement os only.
SPAWNERS = "factorize_class,bank,pipeline,pool,executor"
# gilbench's parts of a round, in the order they run; all of them go into gilbench.json.
GILBENCH_PARTS = ("cpu", "io", "spawners", "sweep", "scaling")
# cpython-bench's parts; all of them go into cpython.json.
CPYTHON_PARTS = ("cpython", "cpython-spawners")
LOG = "reproduce.log"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How long a step has to end after SIGTERM (gilbench removes its temporary, cpython-bench kills
# its children) before SIGKILL: a gilbench iteration cannot be cut short, but the user is waiting.
STOP_GRACE_S = 3.0

# What each plan runs. `cpu` is gilbench's CPU-bound matrix; `io`, `spawners`, `sweep` and
# `scaling` only where named. `row_s` is what one row (gilbench's or CPython's) takes at the
# plan's size on this project's 2-core VM: the measured round times divided by the rows of a
# round (standard: 30 + 3 rows in about 30 s; quick, with the spawners' rows: 334 + 49 rows in
# 51 and 52 s on 2026-12-06; full: 339 + 40 in about 700 s, measured before the spawners' rows
# were in it).
# `estimate_s` is what a round takes on this project's 2-core VM, for the first time-left line.
PLANS = {
    "standard": {"size": "long", "rounds": 7, "threads": "2", "workloads": "countdown",
                 "placements": "os,one-core", "io": False, "sweep": False, "row_s": 0.9,
                 "follow_up_until_s": 280},
    "quick": {"size": "quick", "rounds": 1, "threads": "2", "workloads": "countdown,factorize",
              "placements": "os,one-core,spread,smt,cross-package,numa", "io": True,
              "spawners": True, "sweep": True, "cpu_threads": "0,1,2",
              "intervals": "10,100,1000,5000,100000", "row_s": 0.14},
    "full": {"size": "full", "rounds": 5, "threads": "2,4", "workloads": "countdown,factorize",
             "placements": "os,one-core,spread,smt,cross-package,numa", "io": True,
             "spawners": True, "sweep": True, "cpu_threads": "0,1,2",
             "intervals": "1,10,100,1000,5000,100000", "scaling": True, "row_s": 1.85},
    # The scaling curve alone, at the quick size so that its many n fit in minutes.
    "scaling": {"size": "quick", "rounds": 7, "threads": "2", "workloads": "countdown,factorize",
                "placements": "os", "io": False, "sweep": False, "scaling": True,
                "row_s": 0.4},
}


def default_thread_counts(pus):
    """1, 2, 4, ... below `pus`, then `pus`: gilbench's default --threads (harness/options.cc)."""
    counts, n = [], 1
    while n < pus:
        counts.append(n)
        n *= 2
    return counts + [max(1, pus)]


def allowed_pus():
    return len(os.sched_getaffinity(0))


def scaling_threads(plan, pus):
    """The scaling curve's n: every default count and 2 x pus (one point past the machine shows
    what oversubscription does), less those the cpu step already runs on `os`."""
    taken = {int(n) for n in plan["threads"].split(",")}
    return [n for n in default_thread_counts(pus) + [2 * pus] if n not in taken]


def gilbench_steps(plan, pus):
    """[(part, title, gilbench flags)] of one round, for a process that may use `pus` PUs."""
    steps = [("cpu", "gilbench: %s, every policy, seq / %s threads (%s) / processes" % (
        plan["workloads"], plan["threads"], plan["placements"]),
        ["--workloads=" + plan["workloads"], "--policies=" + POLICIES,
         "--modes=seq,threads,processes", "--threads=" + plan["threads"],
         "--placements=" + plan["placements"]])]
    if plan["io"]:
        steps.append(("io", "gilbench: I/O workloads and the ccbench trio (0-2 CPU threads)",
                      ["--workloads=sleep,native,pipe_io,latency,bandwidth,convoy",
                       "--policies=" + POLICIES, "--modes=seq,threads,processes",
                       "--threads=" + plan["threads"].split(",")[0],
                       "--cpu-threads=" + plan["cpu_threads"], "--placements=os"]))
    if plan.get("spawners"):
        steps.append(("spawners", "gilbench: workloads that start their own threads or processes, "
                      "every policy, seq / %s threads / processes / pool (os)" % plan["threads"],
                      ["--workloads=" + SPAWNERS, "--policies=" + POLICIES,
                       "--modes=seq,threads,processes,pool", "--threads=" + plan["threads"],
                       "--placements=os"]))
    if plan["sweep"]:
        steps.append(("sweep", "gilbench: switch-interval sweep (%s us) under py3, fifo, prio"
                      % plan["intervals"],
                      ["--switch-intervals=" + plan["intervals"], "--policies=py3,fifo,prio"]))
    if plan.get("scaling"):
        threads = ",".join(map(str, scaling_threads(plan, pus)))
        if threads:
            steps.append(("scaling", "gilbench: the scaling curve, %s at n = %s (os)" % (
                plan["workloads"], threads),
                ["--workloads=" + plan["workloads"], "--policies=" + POLICIES,
                 "--modes=threads,processes", "--threads=" + threads, "--placements=os"]))
    return steps


def cpython_threads(plan, pus):
    threads = [int(n) for n in plan["threads"].split(",")]
    if plan.get("scaling"):
        threads += scaling_threads(plan, pus)
    return ",".join(map(str, sorted(set(threads))))


def cpython_workloads(plan):
    workloads = plan["workloads"]
    if plan["io"]:
        workloads += ",sleep,native,pipe_io,latency,bandwidth,convoy"
    return workloads


def cpython_steps(plan, pus):
    """[(part, title, {"workloads", "threads", "cpu_threads"})] of cpython-bench's runs in a
    round: the plan's workloads at its n (and the scaling curve's), and the spawners at the
    plan's n alone, the n of gilbench's spawners step."""
    steps = [("cpython", "CPython %s: the same .py files, sequential, threading, "
              "multiprocessing" % sys.version.split()[0],
              {"workloads": cpython_workloads(plan), "threads": cpython_threads(plan, pus),
               "cpu_threads": plan.get("cpu_threads", "0")})]
    if plan.get("spawners"):
        steps.append(("cpython-spawners", "CPython: workloads that start their own threads or "
                      "processes, seq / %s threads / processes / pool" % plan["threads"],
                      {"workloads": SPAWNERS, "threads": plan["threads"], "cpu_threads": "0"}))
    return steps


def cpython_bench(plan, out, options):
    return ["/usr/bin/python3", os.path.join(ROOT, "scripts", "cpython-bench"),
            "--size", plan["size"], "--workloads", options["workloads"],
            "--threads", options["threads"], "--cpu-threads", options["cpu_threads"],
            "--repetitions", "1", "--out", out]


def cpython_rows(plan, options):
    """The rows cpython-bench makes with `options`: its own plan, every mode."""
    return len(cpython_table.plan(
        options["workloads"].split(","), plan["size"],
        [int(n) for n in options["threads"].split(",")],
        [int(n) for n in options["cpu_threads"].split(",")]))


def count_rows(plan, pus, lister):
    """{part: rows} of one round; `lister(flags)` returns the names gilbench would run with
    those flags on the machine in question (list_rows here; the topology lab's guest in its
    test)."""
    counts = {part: len(lister(["--size=" + plan["size"]] + flags))
              for part, _, flags in gilbench_steps(plan, pus)}
    for part, _, options in cpython_steps(plan, pus):
        counts[part] = cpython_rows(plan, options)
    return counts


def list_rows(flags):
    """The benchmark names gilbench would run here with `flags`."""
    result = subprocess.run([os.path.join(BIN, "gilbench"), "--benchmark_list_tests"] + flags,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return []  # e.g. no requested row can run on this machine
    return result.stdout.split()


# The passes after the rounds (blame, trace, report), and a little for starting each step.
AFTER_ROUNDS_S = 30


def estimate_s(plan, counts):
    """Seconds the plan should take: its rows times its seconds per row, every round, and the
    passes after the rounds. A machine faster or slower than the 2-core VM the per-row figures
    come from takes less or more: the time left is re-estimated from each round as it ends."""
    return sum(counts.values()) * plan["row_s"] * plan["rounds"] + AFTER_ROUNDS_S


def log(message):
    print("reproduce: " + message, file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="scripts/reproduce",
                                     description="Reproduce 'threads are slower than one thread'.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="plan", action="store_const", const="quick",
                      help="CI smoke test: every workload small, one round (no intervals)")
    size.add_argument("--full", dest="plan", action="store_const", const="full",
                      help="the whole matrix and the scaling curve in 5 rounds (about an hour "
                           "and a half on 2 cores)")
    size.add_argument("--scaling", dest="plan", action="store_const", const="scaling",
                      help="the scaling curve alone: countdown and factorize at n = 1, 2, 4, "
                           "... up to the PUs and twice that, 7 rounds at the quick size")
    parser.add_argument("--out", metavar="DIR", help="run directory (default results/<machine>/<stamp>)")
    parser.add_argument("--rounds", type=int, metavar="N",
                        help="rounds of repetitions (default: 7, --quick 1, --full 5); more "
                             "rounds give tighter intervals")
    parser.add_argument("--force", action="store_true",
                        help="measure even when the machine is busy with other work")
    parser.add_argument("--plan", dest="plan_only", action="store_true",
                        help="print the steps, their rows on this machine and the estimated "
                             "time, and exit without measuring")
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


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived: the run stops, keeping what was measured whole."""

    def __init__(self, signum):
        self.name = signal.Signals(signum).name
        self.status = 128 + signum  # as a shell reports a process the signal ended: 130, 143
        super().__init__(self.name)


def _on_stop_signal(signum, frame):
    # A second signal must not cut short what the first one started (ending the step, merging
    # what is whole): it takes a few seconds at most.
    for s in STOP_SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


@contextlib.contextmanager
def _signals_held():
    """SIGINT and SIGTERM wait until the block is done (and then raise Interrupted)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _release_signals():
    # In the child, before exec: a step must get the signals that _signals_held blocks.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _end(child):
    """Ends a step's process: SIGTERM, then SIGKILL if it has not exited within STOP_GRACE_S."""
    child.terminate()
    try:
        child.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


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

    def run(self, title, command, stdout=None, numbered=True, output=None):
        """Runs one step; False when it failed. `output` is the file the step writes: removed
        when the step is interrupted, so that a part cut short is never read as data.
        Interrupted passes through, once the step's process has ended."""
        if numbered:
            self.done += 1
            log("[%d/%d] %s" % (self.done, self.total, title))
        else:
            log("      " + title)
        start = time.monotonic()
        with open(self.log_path, "a") as log_file:
            log_file.write("\n=== %s\n$ %s\n" % (title, " ".join(command)))
            log_file.flush()
            status = self._run_child(title, command, stdout or log_file, log_file, output)
        took = time.monotonic() - start
        if status != 0:
            self.failures.append("%s (exit status %d; see %s)" % (title, status, LOG))
            log("      failed with status %d after %.0f s (its output: %s)" % (
                status, took, self.log_path))
            return False
        return True

    def _run_child(self, title, command, stdout, stderr, output):
        """The step's exit status (127, as from a shell, when it cannot be started). Started
        with the stop signals held, so that a signal always finds the child known and ends it."""
        child = None
        try:
            with _signals_held():
                child = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=ROOT,
                                         preexec_fn=_release_signals)
            return child.wait()
        except OSError as e:
            stderr.write("cannot run %s: %s\n" % (command[0], e))
            return 127
        except Interrupted as stop:
            if child is not None:
                _end(child)
            if child is None or child.returncode != 0:  # else it had finished: its output is whole
                if output is not None and os.path.exists(output):
                    os.remove(output)
                self.failures.append("%s (interrupted by %s)" % (title, stop.name))
            raise


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

    for name, title, flags in gilbench_steps(plan, allowed_pus()):
        path = part(name)
        steps.run(lead + title, gilbench(plan, path, flags), output=path)
    for name, title, options in cpython_steps(plan, allowed_pus()):
        path = part(name)
        steps.run(lead + title, cpython_bench(plan, path, options), output=path)


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
        cpu = part("cpu")
        steps.run("gilbench: the %d rows of those claims" % len(names),
                  gilbench(plan, cpu, [
                      "--workloads=" + plan["workloads"], "--policies=" + POLICIES,
                      "--modes=seq,threads,processes", "--threads=" + plan["threads"],
                      "--placements=" + plan["placements"],
                      "--benchmark_filter=^(%s)/" % "|".join(map(_regex_literal, names))]),
                  numbered=False, output=cpu)
    if cpython:
        modes = sorted({"seq"} | {c.key.mode for c in cpython}, key=runs.MODE_ORDER.index)
        threads = ",".join(str(n) for n in sorted({c.key.n for c in cpython}))
        out_cpython = part("cpython")
        steps.run("CPython: %s, %s" % (",".join(sorted({c.key.workload for c in cpython})),
                                       "/".join(modes)),
                  ["/usr/bin/python3", os.path.join(ROOT, "scripts", "cpython-bench"),
                   "--size", plan["size"],
                   "--workloads", ",".join(sorted({c.key.workload for c in cpython})),
                   "--modes", ",".join(modes), "--threads", threads, "--cpu-threads", "0",
                   "--repetitions", "1", "--out", out_cpython],
                  numbered=False, output=out_cpython)


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


def measure(plan, out, steps, parts):
    """The planned rounds, then the follow-up rounds; the number of rounds run in all."""
    rounds = plan["rounds"]
    for r in range(rounds):
        started = time.monotonic()
        round_steps(plan, out, r, steps, parts)
        steps.round_done(time.monotonic() - started, r + 1)
    if plan.get("follow_up_until_s") and rounds >= stats.MIN_ROUNDS:
        rounds = follow_up(plan, out, steps, parts, rounds)
    return rounds


def merge_results(out, parts, rounds, failures):
    """gilbench.json and cpython.json from the parts that are whole; what is left out, and a
    file no part made, go into failures. Not to be stopped half-way: it removes the parts."""
    for names, dest in ((GILBENCH_PARTS, "gilbench.json"), (CPYTHON_PARTS, "cpython.json")):
        # gilbench.json holds every gilbench part (cpu, io, ...) of every round, cpython.json
        # every cpython-bench part.
        sources = [p for part in names for p in parts.get(part, [])]
        left_out, wrote = merge(sources, os.path.join(out, dest), rounds)
        if left_out:
            failures.append("%s: parts missing or cut short, left out: %s" % (
                dest, ", ".join(left_out)))
        if not wrote:
            failures.append("no run produced %s" % dest)


def blame_step(plan, out, steps):
    """Who made whom wait (gilbench --blame), in a pass of its own after the measured rounds:
    blame walks the dropping thread's stack at every drop, which would weigh on the timings. The
    threads rows of the plan's CPU workloads and of the latency and convoy trios, at the quick
    size (where the waits go, not how long the run takes); its JSON is a record, never merged."""
    folder = os.path.join(out, "blame")
    record = os.path.join(folder, "gilbench-blame.json")
    os.makedirs(folder, exist_ok=True)
    steps.run("gilbench --blame: who made whom wait for the GIL (untimed pass, threads rows)",
              gilbench(dict(plan, size="quick"), record,
                       ["--workloads=" + plan["workloads"] + ",latency,convoy",
                        "--policies=" + POLICIES, "--modes=threads",
                        "--threads=" + plan["threads"].split(",")[0], "--cpu-threads=1",
                        "--placements=os", "--blame=" + folder]), output=record)


# The traced bank run of plans with the spawners: 4 threads under prio with a 1 ms switch
# interval, 40,000 transfers (about 0.2 s). The first forced switches that catch a thread holding
# an account's lock start the convoy; with 20,000 transfers or a 5 ms interval the threads often
# finish before one comes, and the timeline shows nothing of it.
BANK_TRACE = ("prio", "1000", "4", "40000")


def trace_and_report(plan, out, steps):
    """The traced run(s) for the GIL timelines, then the report, which reads
    missing_steps.json."""
    # Two threads counting down 2,000,000 under py3 with a 1 ms interval: a few dozen switches,
    # small enough for a readable timeline.
    trace = os.path.join(out, "trace.json")
    steps.run("gilvm --trace: countdown in 2 threads under py3 (the GIL timeline)",
              [os.path.join(BIN, "gilvm"), "--gil=py3", "--switch-interval=1000",
               "--trace=" + trace, os.path.join(ROOT, "workloads", "countdown.py"), "2000000",
               "2"], stdout=subprocess.DEVNULL, output=trace)
    if plan.get("spawners"):
        policy, interval_us, threads, transfers = BANK_TRACE
        trace = os.path.join(out, "trace_bank.json")
        steps.run("gilvm --trace: bank in %s threads under %s (locks and the GIL)" % (
            threads, policy), [os.path.join(BIN, "gilvm"), "--gil=" + policy,
                               "--switch-interval=" + interval_us, "--trace=" + trace,
                               os.path.join(ROOT, "workloads", "bank.py"), "time", threads,
                               transfers], stdout=subprocess.DEVNULL, output=trace)
    missing_steps.write(out, steps.failures)
    if not steps.run("report: report.md, report.html, verdict.json, charts",
                     ["/usr/bin/python3", os.path.join(ROOT, "scripts", "report"), out]):
        missing_steps.write(out, steps.failures)


def stopped(stop, out, steps, parts, rounds, merged):
    """After SIGINT or SIGTERM: what was measured whole merged (unless it was), what is missing
    recorded; 128 + the signal."""
    not_run = steps.total - steps.done
    if not_run:
        steps.failures.append("%d of the %d planned steps did not run" % (not_run, steps.total))
    if not merged:  # the signals are ignored from here on: nothing stops this merge
        # The rounds begun, follow-up ones included, as follow_up would have returned.
        rounds = max([rounds] + [r + 1 for named in parts.values() for _, r in named])
        merge_results(out, parts, rounds, steps.failures)
    missing_steps.write(out, steps.failures, stop.name)
    kept = [name for name in ("gilbench.json", "cpython.json")
            if os.path.exists(os.path.join(out, name))]
    log("interrupted by %s: %s; missing: %s" % (
        stop.name, "kept what was measured whole (%s)" % ", ".join(kept) if kept else
        "nothing was measured whole", "; ".join(steps.failures)))
    if kept:
        log("scripts/report %s makes the report of what is there" % out)
    return stop.status


def describe_plan(plan, counts):
    """The lines that size a plan before it runs: rows a round, by step, and the estimate."""
    rows = sum(counts.values())
    return ["%d rows a round (%s), %d round%s of size %s: about %s at %.2g s a row (this "
            "project's 2-core VM; the time left is re-estimated after each round)" % (
                rows, ", ".join("%s %d" % (part, n) for part, n in counts.items()),
                plan["rounds"], "" if plan["rounds"] == 1 else "s", plan["size"],
                _duration(estimate_s(plan, counts)), plan["row_s"])]


def start_steps(plan, out):
    """The Steps of the plan, announced with their rows and the time they should take."""
    rounds = plan["rounds"]
    pus = allowed_pus()
    per_round = len(gilbench_steps(plan, pus)) + len(cpython_steps(plan, pus))
    counts = count_rows(plan, pus, list_rows)
    for line in describe_plan(plan, counts):
        log(line)
    # After the rounds: the blame pass, the traced run(s) and the report.
    round_s = sum(counts.values()) * plan["row_s"]
    after = 3 + (1 if plan.get("spawners") else 0)  # + the traced bank run
    steps = Steps(per_round * rounds + after, os.path.join(out, LOG), round_s, rounds)
    log("%d round%s of %s; about %s in all%s" % (
        rounds, "" if rounds == 1 else "s", plan["size"], _duration(steps.time_left(0)),
        "" if not plan.get("follow_up_until_s") else
        ", then follow-up rounds for claims near the noise floor while time allows (up to %s)"
        % _duration(plan["follow_up_until_s"] + 10)))
    return steps


def reproduce(args):
    """The run of main(), with the stop signals' handler installed."""
    plan = dict(PLANS[args.plan])
    plan["rounds"] = args.rounds or plan["rounds"]
    if args.plan_only:
        pus = allowed_pus()
        log("%s plan on %d PU%s:" % (args.plan, pus, "" if pus == 1 else "s"))
        for _, title, _ in gilbench_steps(plan, pus) + cpython_steps(plan, pus):
            log("  " + title)
        for line in describe_plan(plan, count_rows(plan, pus, list_rows)):
            log(line)
        return 0
    steps, parts, merged = None, {}, False
    try:
        out = run_dir(args)
        log("%s reproduction into %s (details in %s)" % (args.plan, out, LOG))
        if not check_machine(out, args.force):
            return 3
        steps = start_steps(plan, out)
        rounds = measure(plan, out, steps, parts)
        with _signals_held():  # a signal raises once the merge is done and known to be
            merge_results(out, parts, rounds, steps.failures)
            merged = True
        blame_step(plan, out, steps)
        trace_and_report(plan, out, steps)
    except Interrupted as stop:
        if steps is None:
            log("interrupted by %s before anything was measured" % stop.name)
            return stop.status
        return stopped(stop, out, steps, parts, plan["rounds"], merged)
    log("done in %s" % _duration(time.monotonic() - steps.started))
    print_verdict(out)
    if steps.failures:
        log("some steps failed: " + "; ".join(steps.failures))
        return 1
    return 0


def print_verdict(out):
    """The verdict section of the report, and where the report is, on the terminal."""
    report = os.path.join(out, "report.md")
    if os.path.exists(report):
        print()
        for line in verdict_lines(report):
            print(line)
        print()
        print("Report: " + report)
        print("        " + os.path.join(out, "report.html"))
        print("Claims: " + os.path.join(out, "verdict.json"))


def main(argv):
    args = parse_args(argv)
    previous = {s: signal.signal(s, _on_stop_signal) for s in STOP_SIGNALS}
    try:
        return reproduce(args)
    except Interrupted as stop:  # once all is written (the verdict on the terminal): nothing lost
        return stop.status
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
