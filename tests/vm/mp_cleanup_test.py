#!/usr/bin/python3
"""multiprocessing under gilvm when things go wrong: no process of the run may be left behind and
stdout must hold only whole lines. gilvm runs in a session of its own, so its process group is its
pid; after the run no process of that group may remain (checked in /proc).

    mp_cleanup_test.py CASE /path/to/gilvm

Cases: a worker calling os._exit, a worker killed by a signal, a worker raising (uncaught in the
parent), terminate() while a map runs, SIGINT to the whole group during Pool.map, SIGINT to the
parent alone, the parent killed while a Process child runs; a Pool and a Process refused
by a thread of their own interpreter under --gil=subinterp.
Exit status 0 pass, 1 fail, 2 bad usage.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 60

PROGRAMS = {
    "worker_os_exit": """
import os
from multiprocessing import Pool

def f(x):
    if x == 2:
        os._exit(3)
    return x

if __name__ == "__main__":
    with Pool(2) as pool:
        try:
            pool.map(f, range(4), chunksize=1)
        except Exception as e:
            print(type(e).__name__, str(e).split(" ")[-7:])
        print(pool.map(f, [0, 1, 3]))
""",
    "worker_killed": """
import time
from multiprocessing import Pool

def f(x):
    time.sleep(30)

if __name__ == "__main__":
    with Pool(2) as pool:
        print("started", flush=True)
        try:
            pool.map(f, range(2), chunksize=1)
        except Exception as e:
            print(type(e).__name__, str(e).split(" ")[-7:])
""",
    "worker_raises": """
from multiprocessing import Pool

def f(x):
    if x == 5:
        raise ValueError("five")
    return x

if __name__ == "__main__":
    pool = Pool(2)
    print(pool.map(f, range(3)))
    pool.map(f, range(10))
""",
    "terminate_mid_map": """
import time
from multiprocessing import Pool, ProcessError

def spin(n):
    while n > 0:
        n -= 1
    return n

if __name__ == "__main__":
    pool = Pool(2)
    r = pool.map_async(spin, [10 ** 9] * 4, chunksize=1)
    time.sleep(0.3)
    pool.terminate()
    try:
        r.get()
    except ProcessError as e:
        print("ProcessError", e)
    pool.join()
    print("terminated")
""",
    "sigint_group": """
from multiprocessing import Pool

def spin(n):
    while n > 0:
        n -= 1
    return n

if __name__ == "__main__":
    with Pool(2) as pool:
        print("started", flush=True)
        print(pool.map(spin, [10 ** 9] * 4))
""",
    "parent_killed": """
import time
from multiprocessing import Pool, Process

def sleeper():
    time.sleep(60)

if __name__ == "__main__":
    p = Process(target=sleeper)
    p.start()
    pool = Pool(2)
    print("started", flush=True)
    p.join()
""",
}
PROGRAMS["sigint_parent"] = PROGRAMS["sigint_group"]
# --stats holds the pool's figures (docs/design.md, "multiprocessing pools").
PROGRAMS["pool_stats"] = """
from multiprocessing import Pool

def countdown(n):
    while n > 0:
        n -= 1
    return n

if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(countdown, [200000] * 8))
    with Pool(1) as pool:
        print(pool.apply(countdown, (5,)))
"""
# Under --gil=subinterp a Pool or a Process cannot be passed to a thread (its own interpreter).
PROGRAMS["subinterp_refuses"] = """
import threading
from multiprocessing import Pool, Process

def use(x):
    print(x)

if __name__ == "__main__":
    pool = Pool(1)
    for obj in (pool, Process()):
        try:
            t = threading.Thread(target=use, args=(obj,))
            t.start()
            t.join()
        except RuntimeError as e:
            print(str(e).split(": ")[-1])
    pool.terminate()
"""


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def group_members(pgid):
    """The pids of the live processes (zombies included) whose process group is pgid."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid:
            members.append((int(entry), fields[0]))
    return members


def children_of(pid):
    kids = []
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                kids += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return kids


def wait_for_line(proc, text):
    line = proc.stdout.readline()
    check(line.startswith(text), "expected %r first, got %r" % (text, line))
    return line


def run_case(case, gilvm):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, case + ".py")
        with open(path, "w") as f:
            f.write(PROGRAMS[case])
        policy = ["--gil=subinterp"] if case == "subinterp_refuses" else []
        stats_path = os.path.join(tmp, "stats.json")
        if case == "pool_stats":
            policy = ["--stats=" + stats_path]
        proc = subprocess.Popen([gilvm] + policy + [path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        pgid = proc.pid
        head = ""
        if case in ("worker_killed", "sigint_group", "sigint_parent", "parent_killed"):
            head = wait_for_line(proc, "started")
            time.sleep(0.3)
            if case == "worker_killed":
                kids = children_of(proc.pid)
                check(len(kids) == 2, "expected 2 workers, found %r" % kids)
                os.kill(kids[0], signal.SIGKILL)
            elif case == "sigint_group":
                os.killpg(pgid, signal.SIGINT)
            elif case == "sigint_parent":
                os.kill(proc.pid, signal.SIGINT)
            else:
                check(len(children_of(proc.pid)) == 3, "expected 3 children")
                os.kill(proc.pid, signal.SIGKILL)
        try:
            out, err = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            proc.communicate()
            raise Failure("gilvm did not end within %d s" % TIMEOUT_S)
        out = head + out
        # Children killed with their parent are reparented and reaped by init: give it a moment.
        deadline = time.monotonic() + 10
        while group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = group_members(pgid)
        check(not left, "processes left in the group: %r" % left)
        check(out == "" or out.endswith("\n"), "stdout ends mid-line: %r" % out)
        last_err = err.strip().splitlines()[-1] if err.strip() else ""
        if case == "worker_os_exit":
            check(proc.returncode == 0, "status %d, stderr %r" % (proc.returncode, err))
            check(out == "ProcessError ['with', 'code', '3', 'while', 'running', 'a', 'task']\n"
                         "[0, 1, 3]\n", "stdout %r" % out)
        elif case == "worker_killed":
            check(proc.returncode == 0, "status %d, stderr %r" % (proc.returncode, err))
            check(out == "started\nProcessError ['signal', '9', '(SIGKILL)', 'while', 'running', "
                         "'a', 'task']\n", "stdout %r" % out)
        elif case == "worker_raises":
            check(proc.returncode == 1, "status %d" % proc.returncode)
            check(out == "[0, 1, 2]\n", "stdout %r" % out)
            check(last_err == "ValueError: five", "last stderr line %r" % last_err)
        elif case == "terminate_mid_map":
            check(proc.returncode == 0, "status %d, stderr %r" % (proc.returncode, err))
            check(out == "ProcessError the pool was terminated before the result was ready\n"
                         "terminated\n", "stdout %r" % out)
        elif case in ("sigint_group", "sigint_parent"):
            check(proc.returncode in (-signal.SIGINT, 130), "status %d" % proc.returncode)
            check(out == "started\n", "stdout %r" % out)
        elif case == "subinterp_refuses":
            check(proc.returncode == 0, "status %d, stderr %r" % (proc.returncode, err))
            check(out == "a Pool cannot be shared between interpreters\n"
                         "a Process cannot be shared between interpreters\n", "stdout %r" % out)
        elif case == "pool_stats":
            check(proc.returncode == 0, "status %d, stderr %r" % (proc.returncode, err))
            with open(stats_path) as f:
                stats = json.load(f)
            pools = stats["pools"]
            check(len(pools) == 2, "pools %r" % pools)
            first = pools[0]
            check(first["pool_workers"] == 2 and first["pool_tasks_sent"] == 8 and
                  first["pool_results_received"] == 8, "first pool %r" % first)
            for key in ("pool_bytes_sent", "pool_bytes_received", "pool_serialize_ns",
                        "pool_deserialize_ns", "pool_worker_compute_ns"):
                check(first[key] > 0, "%s is %r" % (key, first[key]))
                check(stats[key] == first[key] + pools[1][key], "total of %s" % key)
            check(stats["pool_tasks_sent"] == 9 and stats["pool_workers_lost"] == 0,
                  "totals %r" % stats)
        elif case == "parent_killed":
            check(proc.returncode == -signal.SIGKILL, "status %d" % proc.returncode)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in PROGRAMS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        run_case(sys.argv[1], sys.argv[2])
    except Failure as e:
        print("FAIL %s: %s" % (sys.argv[1], e))
        return 1
    print("PASS %s" % sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
