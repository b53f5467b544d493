# apply and apply_async with args and kwds; AsyncResult.get/ready/successful/wait.
from multiprocessing import Pool


def combine(a, b=10, *rest, scale=1):
    return (a + b + sum(rest)) * scale


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.apply(combine, (1,)))
        print(pool.apply(combine, (1, 2, 3, 4), {"scale": 2}))
        print(pool.apply(combine, kwds={"a": 5}))
        r = pool.apply_async(combine, (1, 1))
        r.wait()
        print(r.ready(), r.successful(), r.get(), r.get(timeout=5))
        rs = [pool.apply_async(combine, (i,), {"b": i}) for i in range(6)]
        print([r.get() for r in rs])
        print(type(r).__name__)
