# Pool workers are ForkPoolWorker-N, numbered with the parent's other children.
from multiprocessing import Pool, Process, current_process


def name(_):
    return current_process().name


def noop():
    pass


if __name__ == "__main__":
    with Pool(2) as pool:
        print(sorted(set(pool.map(name, range(8), chunksize=1))) <= ["ForkPoolWorker-1", "ForkPoolWorker-2"])
    p = Process(target=noop)
    print(p.name)
    with Pool(1) as pool:
        print(pool.apply(name, (0,)))
