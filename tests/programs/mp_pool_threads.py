# Threads share one pool: each waits for its own results while the others' move.
import threading
from multiprocessing import Pool


def square(x):
    return x * x


def client(pool, base, out):
    out[base] = [pool.apply(square, (base + i,)) for i in range(5)]


if __name__ == "__main__":
    results = {}
    with Pool(2) as pool:
        threads = [threading.Thread(target=client, args=(pool, b, results)) for b in (10, 20, 30)]
        for t in threads:
            t.start()
        print(pool.map(square, range(12)))
        for t in threads:
            t.join()
        r = pool.map_async(square, [7, 8])
        t = threading.Thread(target=r.wait)
        t.start()
        t.join()
        print(r.get())
    for k in sorted(results):
        print(k, results[k])
