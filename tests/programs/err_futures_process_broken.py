import os
from concurrent.futures import ProcessPoolExecutor


def die():
    os._exit(1)


if __name__ == "__main__":
    with ProcessPoolExecutor(1) as ex:
        ex.submit(die).result()
