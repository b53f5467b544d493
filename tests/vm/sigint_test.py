#!/usr/bin/python3
"""Ctrl-C against CPython as the oracle: SIGINT sent to gilvm and to /usr/bin/python3 running the
same program, once it has printed "ready". Both must end the same way: the same exit status
(-2, killed by SIGINT, after an uncaught KeyboardInterrupt; 0 when the program catches it), the
same stdout and the same last stderr line.

    sigint_test.py CASE /path/to/gilvm

Cases: the main thread blocked in Lock.acquire(), in Condition.wait(), in Queue.get(), in
Event.wait(timeout), in Thread.join(), running a busy loop (the eval breaker's path); and a KeyboardInterrupt
caught around a blocked acquire, after which the program goes on.
Exit status 0 pass, 1 fail, 2 bad usage.
"""
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
        got = run([gilvm], path)
    if want != got:
        print(f"{case}: python3 {want!r}\n{case}: gilvm   {got!r}")
        return 1
    print(f"{case}: {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
