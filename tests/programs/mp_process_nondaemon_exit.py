# The parent waits for a non-daemonic child at exit: its output comes after the parent's.
import time
from multiprocessing import Process


def late():
    time.sleep(0.2)
    print("child done")


if __name__ == "__main__":
    p = Process(target=late)
    p.start()
    print("parent done")
