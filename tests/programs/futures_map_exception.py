from concurrent.futures import ThreadPoolExecutor


def inv(x):
    return 10 // x


with ThreadPoolExecutor(2) as ex:
    it = ex.map(inv, [5, 2, 0, 1])
    print(next(it))
    print(next(it))
    try:
        next(it)
    except ZeroDivisionError as e:
        print("reached:", e)
