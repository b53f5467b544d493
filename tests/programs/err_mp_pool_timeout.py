# An uncaught TimeoutError is named with its module.
import multiprocessing
import time


def slow(x):
    time.sleep(x)


if __name__ == "__main__":
    with multiprocessing.Pool(1) as pool:
        pool.apply_async(slow, (2,)).get(0.01)
