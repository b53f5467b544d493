# pool: countdown mapped over a multiprocessing.Pool -- the language-level answer to the GIL,
# beside gilbench's own processes mode. Each process has its own interpreter and GIL, so the
# chunks run in parallel; what the pool adds is forking its workers, serializing each chunk's
# arguments and result and passing them over pipes.
#
# pool(nprocs, n) counts n down in CHUNKS chunks mapped over a Pool of nprocs processes (nprocs
# = 1: the chunks in the main process, no pool: the baseline). Returns the sum of the chunks'
# results, n for every nprocs. Runs under python3 and gilvm alike (fork start method).
#
#   python3 workloads/pool.py [NPROCS [N]]
#   python3 workloads/pool.py check     (results of small runs only: the differential tests)
#   python3 workloads/pool.py time N SIZE   (one timed run of pool(N, SIZE) alone)
import sys
import time
from multiprocessing import Pool

CHUNKS = 16


def countdown(n):
    done = 0
    while n > 0:
        n -= 1
        done += 1
    return done


def chunks(n):
    share = n // CHUNKS
    return [n - share * (CHUNKS - 1)] + [share] * (CHUNKS - 1)


def pool(nprocs, n):
    if nprocs == 1:
        return sum(countdown(c) for c in chunks(n))
    with Pool(nprocs) as p:
        return sum(p.map(countdown, chunks(n)))


def main():
    if len(sys.argv) > 3 and sys.argv[1] == "time":
        # One timed run of pool(N, SIZE) alone, for measurements that read --stats of it.
        start = time.perf_counter()
        result = pool(int(sys.argv[2]), int(sys.argv[3]))
        print(f"elapsed {time.perf_counter() - start:.6f}")
        print(f"result {result}")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        # The differential tests' run: results only, small sizes, deterministic.
        for n in (1, 2, 4):
            print(f"pool n={n} result {pool(n, 100000)}")
        return
    nprocs = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 4000000
    start = time.perf_counter()
    seq_total = pool(1, n)
    seq = time.perf_counter() - start
    start = time.perf_counter()
    par_total = pool(nprocs, n)
    par = time.perf_counter() - start
    print(f"sequential {seq:.3f} s")
    print(f"processes({nprocs}) {par:.3f} s")
    print(f"ratio {par / seq:.2f}" if seq > 0 else "ratio nan")
    print(f"checksum {seq_total} {par_total}")


if __name__ == "__main__":
    main()
