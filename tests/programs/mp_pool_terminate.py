# terminate() stops the workers at once; the pool refuses work afterwards.
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    pool = Pool(2)
    print(pool.map(square, [1, 2, 3]))
    pool.terminate()
    pool.join()
    try:
        pool.map(square, [1])
    except ValueError as e:
        print("ValueError", e)
    with Pool(1) as p2:
        print(p2.apply(square, (9,)))
    try:
        p2.apply(square, (1,))
    except ValueError as e:
        print("after with:", e)
