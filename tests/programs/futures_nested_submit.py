from concurrent.futures import ThreadPoolExecutor

ex = ThreadPoolExecutor(3)


def outer(n):
    return sum(ex.submit(abs, -i).result() for i in range(n))


print(ex.submit(outer, 10).result())
ex.shutdown(wait=True)
