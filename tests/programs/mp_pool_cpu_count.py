# Pool() without a size has cpu_count() workers.
import multiprocessing
import os


def ident(x):
    return x


if __name__ == "__main__":
    print(multiprocessing.cpu_count() == os.cpu_count())
    with multiprocessing.Pool() as pool:
        print(pool.map(ident, range(5)))
