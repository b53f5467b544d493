from concurrent.futures import ThreadPoolExecutor


def add(a, b, scale=1):
    return (a + b) * scale


with ThreadPoolExecutor(max_workers=2) as ex:
    fs = [ex.submit(add, i, i + 1, scale=2) for i in range(8)]
    print([f.result() for f in fs])
    print(ex.submit(add, 1, b=2).result())
