# Default names count the children this process made: Process-1, Process-2, ...
import multiprocessing


def noop():
    pass


if __name__ == "__main__":
    procs = [multiprocessing.Process(target=noop) for _ in range(3)]
    print([p.name for p in procs])
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print([p.exitcode for p in procs])
    p = multiprocessing.Process(target=noop)
    print(p.name)
    p.name = "renamed"
    print(p.name)
