# A result that cannot cross back fails the call with MaybeEncodingError.
from multiprocessing import Pool


def make_gen(n):
    return (i for i in range(n))


if __name__ == "__main__":
    with Pool(1) as pool:
        try:
            pool.apply(make_gen, (3,))
        except Exception as e:
            print(type(e).__name__, str(e).split("<generator")[0])
        print(pool.apply(len, ([1, 2],)))
