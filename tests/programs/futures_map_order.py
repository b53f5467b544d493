from concurrent.futures import ThreadPoolExecutor


def cube(x):
    return x * x * x


with ThreadPoolExecutor(4) as ex:
    print(list(ex.map(cube, range(12))))
    print(list(ex.map(pow, [2, 3, 4], [5, 6])))
    print(list(ex.map(cube, [])))
    print(sum(ex.map(cube, range(100), chunksize=10)))
