# Pool.map with default and explicit chunk sizes, empty input, any iterable.
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(square, range(20)))
        print(pool.map(square, [3, 1, 2], chunksize=1))
        print(pool.map(square, [], chunksize=5))
        print(pool.map(square, (x for x in range(5)), 2))
        print(pool.map(len, ["abc", "", "de"]))
