# bench-vm program: the factorize generator over four numbers, single-threaded, timed inside.
#
# Does the work RUNS times in this process and prints "elapsed <seconds>" for each run
# (time.perf_counter() around the work only: interpreter start-up and compilation are excluded),
# then "result <sum of all divisors of all numbers>", which scripts/bench-vm checks before it
# accepts the timings. Runs unchanged under gilvm and python3 (the subset of docs/language.md only).
#   usage: factorize.py [--runs RUNS] [NUMBER...]     (RUNS = 1; default numbers 2139079 1214759
#                                                      1516637 1582285)
import sys
import time


def factorize(number):
    for i in range(1, number + 1):
        if number % i == 0:
            yield i


def main():
    args = sys.argv[1:]
    runs = 1
    if len(args) >= 2 and args[0] == "--runs":
        runs = int(args[1])
        args = args[2:]
    numbers = [2139079, 1214759, 1516637, 1582285]
    if len(args) > 0:
        numbers = []
        for arg in args:
            numbers.append(int(arg))
    total = 0
    for _ in range(runs):
        start = time.perf_counter()
        total = 0
        for number in numbers:
            total += sum(list(factorize(number)))
        elapsed = time.perf_counter() - start
        print("elapsed %.6f" % elapsed)
    print("result %d" % total)


if __name__ == "__main__":
    main()
