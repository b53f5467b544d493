from concurrent.futures import ThreadPoolExecutor


def check(x):
    if x == 3:
        raise LookupError("item 3")
    return x


with ThreadPoolExecutor(2) as ex:
    for r in ex.map(check, range(6)):
        print(r)
