# executor: factorize through concurrent.futures, with threads (ThreadPoolExecutor: one GIL for
# all workers) or processes (ProcessPoolExecutor: one per worker).
#
# executor(nworkers, kind, divisor): the divisor sums of NUMBERS (each divided by `divisor`)
# computed by executor.map with nworkers workers, kind 0 a ThreadPoolExecutor and kind 1 a
# ProcessPoolExecutor (nworkers = 1: plain calls in the main thread, the baseline). Returns
# their total, 7260864 at divisor 1 for every nworkers and kind. Runs under python3 and gilvm.
# thread_executor and process_executor are the two kinds as functions of their own, the ones
# gilbench calls (its threads and pool rows); `first` and `step` pick NUMBERS[first::step], so
# that its processes mode can deal the numbers over its processes (process i of k: (i, k)).
#
#   python3 workloads/executor.py [NWORKERS [DIVISOR]]
#   python3 workloads/executor.py check     (results of small runs only: the differential tests)
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

NUMBERS = [2139079, 1214759, 1516637, 1582285]


def divisor_sum(number):
    total = 0
    for i in range(1, number + 1):
        if number % i == 0:
            total += i
    return total


def executor(nworkers, kind, divisor, first=0, step=1):
    numbers = [n // divisor for n in NUMBERS[first::step]]
    if nworkers == 1:
        return sum(divisor_sum(n) for n in numbers)
    make = ProcessPoolExecutor if kind == 1 else ThreadPoolExecutor
    with make(max_workers=nworkers) as ex:
        return sum(ex.map(divisor_sum, numbers))


def thread_executor(nworkers, divisor, first=0, step=1):
    return executor(nworkers, 0, divisor, first, step)


def process_executor(nworkers, divisor, first=0, step=1):
    return executor(nworkers, 1, divisor, first, step)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        # The differential tests' run: results only, small sizes, deterministic.
        for n in (1, 2, 4):
            for kind in (0, 1):
                print(f"executor n={n} kind={kind} result {executor(n, kind, 100)}")
        return
    nworkers = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    divisor = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    start = time.perf_counter()
    seq_total = executor(1, 0, divisor)
    seq = time.perf_counter() - start
    print(f"sequential {seq:.3f} s")
    for kind, label in [(0, "threads"), (1, "processes")]:
        start = time.perf_counter()
        total = executor(nworkers, kind, divisor)
        elapsed = time.perf_counter() - start
        print(f"{label}({nworkers}) {elapsed:.3f} s ratio {elapsed / seq:.2f} checksum {total}")
    print(f"checksum {seq_total}")


if __name__ == "__main__":
    main()
