# countdown: the classic demonstration that CPU-bound threads gain nothing under a GIL.
#
# Counts N down to zero once in the main thread (sequential), then splits the same N over K
# threads (threaded, K = 2 by default) and prints both wall times and their ratio. Without a GIL
# the threaded run would take about 1/K of the sequential one; under a GIL it takes as long or
# longer. Runs unchanged under python3 and gilvm (the subset of docs/language.md only).
#
#   python3 workloads/countdown.py [N [K]]         (N = 20000000, K = 2)
#   build/release/bin/gilvm workloads/countdown.py [N [K]]
#
# Output (one figure per line, stable for scripts):
#   countdown n=20000000 threads=2
#   sequential 1.234 s
#   threads(2) 1.456 s
#   ratio 1.18
import sys
import threading
import time

DEFAULT_N = 20000000
DEFAULT_THREADS = 2


# The classic loop; it returns what is left of n (0) so that gilbench can check the result.
def countdown(n):
    while n > 0:
        n -= 1
    return n


def run_sequential(n):
    start = time.perf_counter()
    countdown(n)
    return time.perf_counter() - start


# Splits n over k threads (the first gets the remainder), starts all, joins all.
def run_threaded(n, k):
    share = n // k
    threads = []
    i = 0
    while i < k:
        part = share
        if i == 0:
            part = n - share * (k - 1)
        threads.append(threading.Thread(target=countdown, args=(part,)))
        i += 1
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main():
    n = DEFAULT_N
    k = DEFAULT_THREADS
    if len(sys.argv) > 1:
        n = int(sys.argv[1])
    if len(sys.argv) > 2:
        k = int(sys.argv[2])
    if n < 0 or k < 1:
        print("usage: countdown.py [N >= 0 [THREADS >= 1]]")
        sys.exit(2)
    print(f"countdown n={n} threads={k}")
    seq = run_sequential(n)
    print(f"sequential {seq:.3f} s")
    par = run_threaded(n, k)
    print(f"threads({k}) {par:.3f} s")
    if seq > 0:
        print(f"ratio {par / seq:.2f}")
    else:
        print("ratio nan")


if __name__ == "__main__":
    main()
