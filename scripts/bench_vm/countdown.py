# bench-vm program: countdown(n), single-threaded, timed inside.
#
# Runs countdown(n) RUNS times in this process and prints "elapsed <seconds>" for each run
# (time.perf_counter() around the call only: interpreter start-up and compilation are excluded),
# then "result <final n>" (0), which scripts/bench-vm checks before it accepts the timings. Runs
# unchanged under gilvm and python3 (the subset of docs/language.md only).
#   usage: countdown.py [--runs RUNS] [N]     (RUNS = 1, N = 20000000)
import sys
import time


def countdown(n):
    while n > 0:
        n -= 1
    return n


def main():
    args = sys.argv[1:]
    runs = 1
    if len(args) >= 2 and args[0] == "--runs":
        runs = int(args[1])
        args = args[2:]
    n = 20000000
    if len(args) > 0:
        n = int(args[0])
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = countdown(n)
        elapsed = time.perf_counter() - start
        print("elapsed %.6f" % elapsed)
    print("result %d" % result)


if __name__ == "__main__":
    main()
