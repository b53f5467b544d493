# map_async and starmap_async, with callbacks run in the parent.
from multiprocessing import Pool

got = []


def double(x):
    return 2 * x


def add(a, b):
    return a + b


if __name__ == "__main__":
    with Pool(2) as pool:
        r = pool.map_async(double, range(8), callback=got.append)
        print(r.get())
        s = pool.starmap_async(add, [(1, 2), (3, 4)], callback=got.append)
        print(s.get(), type(s).__name__)
        a = pool.apply_async(double, (21,), callback=got.append)
        a.wait()
        print(a.get())
    print(got)
