# Starting a process twice is an AssertionError.
from multiprocessing import Process


def noop():
    pass


if __name__ == "__main__":
    p = Process(target=noop)
    p.start()
    p.join()
    p.start()
