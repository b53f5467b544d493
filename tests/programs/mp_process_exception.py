# An uncaught exception in the child: exit code 1, the traceback on the child's stderr.
from multiprocessing import Process


def fail():
    raise ValueError("child failed")


if __name__ == "__main__":
    p = Process(target=fail)
    p.start()
    p.join()
    print("exitcode", p.exitcode)
