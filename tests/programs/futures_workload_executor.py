# workloads' executor.py at a small size: both kinds of executor, one checksum.
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

NUMBERS = [2139079, 1214759, 1516637, 1582285]


def divisor_sum(number):
    total = 0
    for i in range(1, number + 1):
        if number % i == 0:
            total += i
    return total


def executor(nworkers, kind, divisor):
    numbers = [n // divisor for n in NUMBERS]
    if nworkers == 1:
        return sum(divisor_sum(n) for n in numbers)
    make = ProcessPoolExecutor if kind == 1 else ThreadPoolExecutor
    with make(max_workers=nworkers) as ex:
        return sum(ex.map(divisor_sum, numbers))


if __name__ == "__main__":
    for kind in (0, 1):
        print(kind, executor(1, kind, 100), executor(2, kind, 100), executor(3, kind, 100))
