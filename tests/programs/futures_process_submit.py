from concurrent.futures import ProcessPoolExecutor


def scaled(x, factor=1):
    return x * factor


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        fs = [ex.submit(scaled, i, factor=3) for i in range(6)]
        print([f.result() for f in fs])
        print(ex.submit(scaled, "ab", 2).result())
