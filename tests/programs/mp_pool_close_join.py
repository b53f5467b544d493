# close then join finishes the queued work; join before close is an error.
from multiprocessing import Pool


def slow_square(x):
    return x * x


if __name__ == "__main__":
    pool = Pool(2)
    rs = [pool.apply_async(slow_square, (i,)) for i in range(10)]
    try:
        pool.join()
    except ValueError as e:
        print("ValueError", e)
    pool.close()
    pool.join()
    print([r.get() for r in rs])
    try:
        pool.map(slow_square, [1])
    except ValueError as e:
        print("ValueError", e)
    try:
        pool.apply_async(slow_square, (1,))
    except ValueError as e:
        print("ValueError", e)
