# A child may start its own children (Process-1:1) and pool.
from multiprocessing import Pool, Process, current_process


def leaf():
    print("leaf", current_process().name)


def square(x):
    return x * x


def middle():
    print("middle", current_process().name)
    p = Process(target=leaf)
    print(p.name)
    p.start()
    p.join()
    with Pool(1) as pool:
        print(pool.map(square, [1, 2, 3]))
    print("middle exit", p.exitcode)


if __name__ == "__main__":
    p = Process(target=middle)
    p.start()
    p.join()
    print("main", p.exitcode)
