# native: threads hashing large buffers with hashlib.sha256. CPython's hashlib (OpenSSL) releases
# the GIL while it hashes a buffer of 2 KiB or more, and so does gilvm's: the hashing runs in
# parallel and threads scale -- a C extension can get around the GIL.
#
#   python3 workloads/native.py [BLOCKS [KIB [THREADS]]]    (64 blocks of 256 KiB, 2 threads)
#   build/release/bin/gilvm workloads/native.py
#
# Output: `sequential S s`, `threads(K) S s`, `speedup X` (sequential / threaded).
import hashlib
import sys
import threading
import time


# Hashes a kib-KiB buffer `count` times; returns the sum of the first digest byte plus one per
# block (the same for every block: gilbench checks it against count * (that byte + 1)).
def hash_blocks(count, kib):
    data = b"gilbench" * (kib * 128)
    total = 0
    i = 0
    while i < count:
        total += hashlib.sha256(data).digest()[0] + 1
        i += 1
    return total


def timed_threads(count, kib, k):
    threads = []
    share = count // k
    i = 0
    while i < k:
        part = share
        if i == 0:
            part = count - share * (k - 1)
        threads.append(threading.Thread(target=hash_blocks, args=(part, kib)))
        i += 1
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main():
    count = 64
    kib = 256
    k = 2
    if len(sys.argv) > 1:
        count = int(sys.argv[1])
    if len(sys.argv) > 2:
        kib = int(sys.argv[2])
    if len(sys.argv) > 3:
        k = int(sys.argv[3])
    start = time.perf_counter()
    check = hash_blocks(count, kib)
    seq = time.perf_counter() - start
    par = timed_threads(count, kib, k)
    print(f"native blocks={count} kib={kib} threads={k} checksum={check}")
    print(f"sequential {seq:.3f} s")
    print(f"threads({k}) {par:.3f} s")
    print(f"speedup {seq / par:.2f}")


if __name__ == "__main__":
    main()
