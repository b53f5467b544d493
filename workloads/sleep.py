# sleep: the simplest I/O-bound workload. nap(count, ms) sleeps `count` times for `ms`
# milliseconds; time.sleep releases the GIL, so n threads sharing the naps finish about n times
# sooner than one thread doing them all -- threads help when the work is waiting.
#
#   python3 workloads/sleep.py [COUNT [MS [THREADS]]]     (40 naps of 5 ms, 4 threads)
#   build/release/bin/gilvm workloads/sleep.py
#
# Output: `sequential S s`, `threads(K) S s`, `speedup X` (sequential / threaded).
import sys
import threading
import time


# Sleeps count times for ms milliseconds; returns count so that gilbench can check the work.
def nap(count, ms):
    done = 0
    while done < count:
        time.sleep(ms / 1000)
        done += 1
    return done


def timed_threads(count, ms, k):
    threads = []
    share = count // k
    i = 0
    while i < k:
        part = share
        if i == 0:
            part = count - share * (k - 1)
        threads.append(threading.Thread(target=nap, args=(part, ms)))
        i += 1
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main():
    count = 40
    ms = 5
    k = 4
    if len(sys.argv) > 1:
        count = int(sys.argv[1])
    if len(sys.argv) > 2:
        ms = int(sys.argv[2])
    if len(sys.argv) > 3:
        k = int(sys.argv[3])
    start = time.perf_counter()
    nap(count, ms)
    seq = time.perf_counter() - start
    par = timed_threads(count, ms, k)
    print(f"sleep count={count} ms={ms} threads={k}")
    print(f"sequential {seq:.3f} s")
    print(f"threads({k}) {par:.3f} s")
    print(f"speedup {seq / par:.2f}")


if __name__ == "__main__":
    main()
