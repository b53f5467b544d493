#!/usr/bin/python3
"""Ctrl-C against CPython as the oracle: SIGINT sent to gilvm and to /usr/bin/python3 running the
same program, once it has printed "ready". Both must end the same way: the same exit status
(-2, killed by SIGINT, after an uncaught KeyboardInterrupt; 0 when the program catches it), the
same stdout and the same last stderr line.

    sigint_test.py CASE /path/to/gilvm

Cases: the main thread blocked in Lock.acquire(), in Condition.wait(), in Queue.get(), in
Event.wait(timeout), in Thread.join(), running a busy loop (the eval breaker's path); a
KeyboardInterrupt caught around a blocked acquire, after which the program goes on; and one
ending a Condition.wait() while another thread holds the condition's lock: the wait takes the
lock back before it raises, in one blocking acquire (gilvm's --stats must show one lock wait,
not a retry per poll with the interrupt pending).
Exit status 0 pass, 1 fail, 2 bad usage.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

PYTHON = "/usr/bin/python3"

CASES = {
    "lock_acquire": """
import threading
lock = threading.Lock()
lock.acquire()
print("ready", flush=True)
lock.acquire()
print("not reached")
""",
    "condition_wait": """
import threading
cond = threading.Condition()
with cond:
    print("ready", flush=True)
    cond.wait()
""",
    "queue_get": """
import queue, threading
q = queue.Queue()
t = threading.Thread(target=q.get, daemon=True)
t.start()
print("ready", flush=True)
q.get()
""",
    "event_wait_timeout": """
import threading
print("ready", flush=True)
threading.Event().wait(60)
""",
    "thread_join": """
import threading
ev = threading.Event()
t = threading.Thread(target=ev.wait, daemon=True)
t.start()
print("ready", flush=True)
t.join()
""",
    "busy_loop": """
print("ready", flush=True)
n = 0
while True:
    n += 1
""",
    "condition_lock_held": """
import threading, time
cond = threading.Condition()
def holder():
    time.sleep(0.1)
    with cond:
        time.sleep(1.0)
t = threading.Thread(target=holder)
t.start()
try:
    with cond:
        print("ready", flush=True)
        cond.wait()
except KeyboardInterrupt:
    print("interrupted")
t.join()
""",
    "caught": """
import threading
lock = threading.Lock()
lock.acquire()
try:
    print("ready", flush=True)
    lock.acquire()
except KeyboardInterrupt:
    print("caught KeyboardInterrupt")
print("locked", lock.locked())
""",
}


# Cases whose gilvm run is also checked in its --stats: (what, check(stats)).
STATS_CHECKS = {
    "condition_lock_held": ("the lock taken back in one wait",
                            lambda st: st["lock_contended"] == 1
                            and st["lock_wait_ns_max"] == st["lock_wait_ns_total"]),
}


def run(argv, path):
    """Runs the program, sends SIGINT once it said "ready"; returns (status, stdout, last stderr
    line)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.Popen(argv + [path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    first = proc.stdout.readline()
    time.sleep(0.2)  # into the blocking call
    proc.send_signal(signal.SIGINT)
    try:
        rest, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return "timeout", b"", ""
    lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    return proc.returncode, first + rest, lines[-1] if lines else ""


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    case, gilvm = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, case + ".py")
        with open(path, "w") as f:
            f.write(CASES[case])
        want = run([PYTHON], path)
        stats_path = os.path.join(tmp, "stats.json")
        got = run([gilvm, "--stats=" + stats_path], path)
        if want == got and case in STATS_CHECKS:
            what, check = STATS_CHECKS[case]
            with open(stats_path) as f:
                stats = json.load(f)
            if not check(stats):
                print(f"{case}: not {what}: " + ", ".join(
                    f"{k}={stats[k]}" for k in stats if k.startswith("lock_")))
                return 1
    if want != got:
        print(f"{case}: python3 {want!r}\n{case}: gilvm   {got!r}")
        return 1
    print(f"{case}: {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
