# A worker's exception comes back to the parent with its type and message, catchable.
from multiprocessing import Pool


class Custom(Exception):
    pass


def check(x):
    if x == 4:
        raise KeyError(x)
    if x == 5:
        raise Custom("five", x)
    return x


def divide(x):
    return 10 // x


if __name__ == "__main__":
    with Pool(2) as pool:
        for xs in ([1, 2, 3], [1, 4], [5], [0]):
            try:
                print(pool.map(check if xs != [0] else divide, xs))
            except (KeyError, Custom, ZeroDivisionError) as e:
                print(type(e).__name__, e.args)
        r = pool.apply_async(divide, (0,))
        r.wait()
        print(r.ready(), r.successful())
        try:
            r.get()
        except ZeroDivisionError as e:
            print("get:", e)
        print(pool.map(check, [1, 2]))
