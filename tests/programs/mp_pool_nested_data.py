# Larger payloads cross in both directions.
from multiprocessing import Pool


def build(n):
    return {"n": n, "items": [[i] * 3 for i in range(n)], "text": "x" * n}


def total(d):
    return sum(sum(row) for row in d["items"]) + len(d["text"])


if __name__ == "__main__":
    with Pool(2) as pool:
        ds = pool.map(build, [10, 2000, 50000])
        print([len(d["items"]) for d in ds])
        print(pool.map(total, ds))
