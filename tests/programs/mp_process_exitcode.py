# exitcode: sys.exit's code, os._exit's, None for sys.exit(None).
import os
import sys
from multiprocessing import Process


def leave(code):
    sys.exit(code)


def hard(code):
    os._exit(code)


if __name__ == "__main__":
    for target, code in [(leave, 3), (leave, None), (leave, 0), (hard, 7), (hard, 0)]:
        p = Process(target=target, args=(code,))
        p.start()
        p.join()
        print(target.__name__, code, p.exitcode)
