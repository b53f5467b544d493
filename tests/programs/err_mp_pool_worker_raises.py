# An uncaught worker exception ends the parent with the same last line.
from multiprocessing import Pool


def fail(x):
    raise ValueError("worker says no: %d" % x)


if __name__ == "__main__":
    with Pool(2) as pool:
        pool.map(fail, [1])
