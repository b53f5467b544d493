from concurrent.futures import ProcessPoolExecutor


def fail(x):
    raise KeyError(x)


if __name__ == "__main__":
    with ProcessPoolExecutor(1) as ex:
        ex.submit(fail, "missing").result()
