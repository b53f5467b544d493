# CPU-bound work split across workers, as the benchmark does.
from multiprocessing import Pool


def countdown(n):
    while n > 0:
        n -= 1
    return n


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(countdown, [100000] * 8))
