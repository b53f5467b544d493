# daemon: set before start; a daemonic child still running at exit is terminated.
import time
from multiprocessing import Process


def sleeper():
    time.sleep(30)


if __name__ == "__main__":
    p = Process(target=sleeper, daemon=True)
    print(p.daemon)
    q = Process(target=sleeper)
    q.daemon = True
    print(q.daemon)
    p.start()
    try:
        p.daemon = False
    except AssertionError as e:
        print("AssertionError", e)
    print("done")
