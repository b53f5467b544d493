# imap gives results in order, lazily; imap_unordered as they come (sorted here).
from multiprocessing import Pool


def cube(x):
    return x ** 3


if __name__ == "__main__":
    with Pool(3) as pool:
        it = pool.imap(cube, range(10))
        print(next(it), next(it))
        print(list(it))
        print(list(pool.imap(cube, range(7), chunksize=3)))
        print(sorted(pool.imap_unordered(cube, range(10))))
        print(sorted(pool.imap_unordered(cube, range(10), 4)))
        total = 0
        for v in pool.imap(cube, [1, 2, 3]):
            total += v
        print(total)
        it = pool.imap(cube, [2])
        print(it.next(), type(it).__name__)
