# factorize_class: the factorize demonstration as its seed wrote it -- a threading.Thread subclass
# whose run() stores the factors on the instance, one thread per share of the numbers, joined by
# the main thread, which then reads each thread's factors.
#
# factorize_class(nthreads, divisor) factorizes NUMBERS (each divided by `divisor`, so that tests
# can run it small) in nthreads FactorizeThreads, the numbers dealt round-robin; with nthreads = 1
# the one thread's run() is called in the main thread (the sequential baseline). Returns the sum
# of all factors found, the same for every nthreads (7260864 at divisor 1). Runs under python3 and
# gilvm alike. `first` and `step` pick NUMBERS[first::step]: gilbench's processes mode gives
# process i of k the numbers (i, k), as it deals factorize's.
#
#   python3 workloads/factorize_class.py [NTHREADS [DIVISOR]]
#   python3 workloads/factorize_class.py check     (results of small runs only: the differential tests)
#   python3 workloads/factorize_class.py time N SIZE   (one timed run of factorize_class(N, SIZE) alone)
import sys
import time
from threading import Thread

NUMBERS = [2139079, 1214759, 1516637, 1582285]


class FactorizeThread(Thread):
    def __init__(self, numbers):
        super().__init__()
        self.numbers = numbers
        self.factors = []

    def run(self):
        for number in self.numbers:
            for i in range(1, number + 1):
                if number % i == 0:
                    self.factors.append(i)


def factorize_class(nthreads, divisor, first=0, step=1):
    numbers = [n // divisor for n in NUMBERS[first::step]]
    threads = [FactorizeThread(numbers[k::nthreads]) for k in range(nthreads)]
    if nthreads == 1:
        threads[0].run()
    else:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return sum(sum(t.factors) for t in threads)


def main():
    if len(sys.argv) > 3 and sys.argv[1] == "time":
        # One timed run of factorize_class(N, SIZE) alone, for measurements that read --stats of it.
        start = time.perf_counter()
        result = factorize_class(int(sys.argv[2]), int(sys.argv[3]))
        print(f"elapsed {time.perf_counter() - start:.6f}")
        print(f"result {result}")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        # The differential tests' run: results only, small sizes, deterministic.
        for n in (1, 2, 4):
            print(f"factorize_class n={n} result {factorize_class(n, 100)}")
        return
    nthreads = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    divisor = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    start = time.perf_counter()
    total = factorize_class(1, divisor)
    seq = time.perf_counter() - start
    start = time.perf_counter()
    threaded_total = factorize_class(nthreads, divisor)
    par = time.perf_counter() - start
    print(f"sequential {seq:.3f} s")
    print(f"threads({nthreads}) {par:.3f} s")
    print(f"ratio {par / seq:.2f}" if seq > 0 else "ratio nan")
    print(f"checksum {total} {threaded_total}")


if __name__ == "__main__":
    main()
