# initializer(*initargs) runs once in each worker before its first task.
from multiprocessing import Pool

state = {"ready": False, "tag": None}


def init(tag):
    state["ready"] = True
    state["tag"] = tag


def probe(x):
    return (x, state["ready"], state["tag"])


if __name__ == "__main__":
    with Pool(2, initializer=init, initargs=("T",)) as pool:
        print(pool.map(probe, range(4)))
    print(state)
    with Pool(processes=1, initializer=lambda: None) as pool:
        print(pool.apply(probe, (9,)))
