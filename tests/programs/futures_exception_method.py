from concurrent.futures import ThreadPoolExecutor


def fail(msg):
    raise ValueError(msg)


with ThreadPoolExecutor() as ex:
    f = ex.submit(fail, "nope")
    e = f.exception()
    print(type(e).__name__, e.args)
    print(ex.submit(len, "abc").exception())
    try:
        f.result()
    except ValueError as err:
        print(err is e)
