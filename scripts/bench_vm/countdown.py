# bench-vm program: countdown(N) single-threaded, timed inside the program.
#
# Prints "elapsed <seconds>" (time.perf_counter() around the call only: interpreter start-up and
# compilation are excluded) and "result <final n>" (0), which scripts/bench-vm checks before it
# accepts the timing. Runs unchanged under gilvm and python3 (the LANGUAGE.md subset only).
#   usage: countdown.py [N]        (N = 20000000)
import sys
import time


def countdown(n):
    while n > 0:
        n -= 1
    return n


def main():
    n = 20000000
    if len(sys.argv) > 1:
        n = int(sys.argv[1])
    start = time.perf_counter()
    result = countdown(n)
    elapsed = time.perf_counter() - start
    print("elapsed %.6f" % elapsed)
    print("result %d" % result)


if __name__ == "__main__":
    main()
