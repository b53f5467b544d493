# Argument errors of Pool and its methods.
from multiprocessing import Pool


def one(x):
    return x


if __name__ == "__main__":
    for args in [(0,), (-1,)]:
        try:
            Pool(*args)
        except ValueError as e:
            print("ValueError", e)
    try:
        Pool(1, initializer=5)
    except TypeError as e:
        print("TypeError", e)
    with Pool(1) as pool:
        try:
            pool.map(one, 5)
        except TypeError as e:
            print("TypeError", e)
        try:
            list(pool.imap(one, [1], chunksize=0))
        except ValueError as e:
            print("ValueError", e)
        try:
            pool.apply(one, (1, 2))
        except TypeError as e:
            print("TypeError", e)
        print(pool.apply(one, (1,)))
