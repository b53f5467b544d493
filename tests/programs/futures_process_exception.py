from concurrent.futures import ProcessPoolExecutor, as_completed


def check(x):
    if x % 3 == 0:
        raise ValueError("multiple of three: %d" % x)
    return x


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        fs = [ex.submit(check, i) for i in range(1, 8)]
        good, bad = [], []
        for f in as_completed(fs):
            if f.exception() is None:
                good.append(f.result())
            else:
                bad.append(str(f.exception()))
        print(sorted(good), sorted(bad))
