# apply re-raises the worker's exception in the parent.
from multiprocessing import Pool


def lookup(d):
    return d["missing"]


if __name__ == "__main__":
    with Pool(1) as pool:
        pool.apply(lookup, ({},))
