# starmap unpacks each item as the function's arguments.
from multiprocessing import Pool


def power(base, exp):
    return base ** exp


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.starmap(power, [(2, 10), (3, 3), (10, 0)]))
        print(pool.starmap(power, zip([1, 2, 3], [2, 2, 2]), chunksize=2))
        print(pool.starmap(max, [(1, 5, 3), (9, 2)]))
