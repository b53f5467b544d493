# bench-vm program: the factorize generator over four numbers, single-threaded, timed inside.
#
# Prints "elapsed <seconds>" (time.perf_counter() around the work only: interpreter start-up and
# compilation are excluded) and "result <sum of all divisors of all numbers>", which
# scripts/bench-vm checks before it accepts the timing. Runs unchanged under gilvm and python3
# (the LANGUAGE.md subset only).
#   usage: factorize.py [NUMBER...]     (default: 2139079 1214759 1516637 1582285)
import sys
import time


def factorize(number):
    for i in range(1, number + 1):
        if number % i == 0:
            yield i


def main():
    numbers = [2139079, 1214759, 1516637, 1582285]
    if len(sys.argv) > 1:
        numbers = []
        for arg in sys.argv[1:]:
            numbers.append(int(arg))
    start = time.perf_counter()
    total = 0
    for number in numbers:
        total += sum(list(factorize(number)))
    elapsed = time.perf_counter() - start
    print("elapsed %.6f" % elapsed)
    print("result %d" % total)


if __name__ == "__main__":
    main()
