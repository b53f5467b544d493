# Buffered output is flushed before fork, so the child does not print it again.
from multiprocessing import Process


def child():
    print("in child")


if __name__ == "__main__":
    print("before start")
    p = Process(target=child)
    p.start()
    p.join()
    print("after join")
