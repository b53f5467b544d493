import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def die():
    os._exit(7)


if __name__ == "__main__":
    ex = ProcessPoolExecutor(2)
    f = ex.submit(die)
    try:
        f.result()
    except BrokenProcessPool as e:
        print(type(e).__name__, e)
    try:
        ex.submit(abs, -1)
    except BrokenProcessPool as e:
        print("submit:", e)
    ex.shutdown()
    print(isinstance(f.exception(), RuntimeError))
