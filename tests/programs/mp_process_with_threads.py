# Forking while another thread runs: the child is left with its one thread and must not wait
# for the GIL on behalf of the threads that did not come with it.
import threading
from multiprocessing import Process

stop = [False]


def spin():
    n = 0
    while not stop[0]:
        n += 1


def child():
    total = 0
    for i in range(300000):
        total += i
    print("child", total, threading.active_count())


if __name__ == "__main__":
    t = threading.Thread(target=spin)
    t.start()
    for _ in range(3):
        p = Process(target=child)
        p.start()
        p.join()
        print("exitcode", p.exitcode)
    stop[0] = True
    t.join()
