# join(timeout) returns while the child still runs; exitcode None until it ends.
import time
from multiprocessing import Process


def sleeper():
    time.sleep(0.5)


if __name__ == "__main__":
    p = Process(target=sleeper)
    p.start()
    p.join(0.05)
    print(p.exitcode, p.is_alive())
    p.join()
    print(p.exitcode, p.is_alive())
