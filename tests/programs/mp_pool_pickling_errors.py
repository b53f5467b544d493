# What cannot cross: a lambda, a nested function, a generator -- each catchable.
from multiprocessing import Pool


def outer():
    def inner(x):
        return x
    return inner


def make_gen(n):
    return (i for i in range(n))


def ident(x):
    return x


if __name__ == "__main__":
    with Pool(1) as pool:
        try:
            pool.map(lambda x: x, [1])
        except Exception as e:
            print(type(e).__name__, str(e).split(" at ")[0])
        try:
            pool.map(outer(), [1])
        except AttributeError as e:
            print("AttributeError", e)
        try:
            pool.apply(ident, ((i for i in range(3)),))
        except TypeError as e:
            print("TypeError", e)
        r = pool.apply_async(outer(), (1,))
        try:
            r.get()
        except AttributeError as e:
            print("later:", e)
        print(pool.map(ident, [1, 2]))
