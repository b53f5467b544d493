# Process's first positional parameter is group, which must be None.
from multiprocessing import Process


def f():
    pass


if __name__ == "__main__":
    Process(f)
