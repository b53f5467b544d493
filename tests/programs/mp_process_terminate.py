# terminate() and kill(): exitcode is minus the signal.
import time
from multiprocessing import Process


def sleeper():
    time.sleep(30)


if __name__ == "__main__":
    p = Process(target=sleeper)
    p.start()
    print(p.is_alive())
    p.terminate()
    p.join()
    print(p.exitcode, p.is_alive())
    q = Process(target=sleeper)
    q.start()
    q.kill()
    q.join()
    print(q.exitcode)
    q.terminate()
    print(q.exitcode)
