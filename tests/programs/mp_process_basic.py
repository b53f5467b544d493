# multiprocessing.Process: start, join, exitcode, is_alive, name, pid before start.
from multiprocessing import Process


def work(a, b=0):
    print("work", a, b)


if __name__ == "__main__":
    p = Process(target=work, args=(1,), kwargs={"b": 2})
    print(p.name, p.pid, p.exitcode, p.is_alive(), p.daemon)
    p.start()
    p.join()
    print(p.exitcode, p.is_alive(), p.pid is not None)
    q = Process(target=work, args=("x",), name="worker-q")
    print(q.name)
    q.start()
    q.join()
    print(q.name, q.exitcode)
