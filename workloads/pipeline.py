# pipeline: producer -> stage workers -> consumer over bounded queue.Queues, the shape of most
# threaded Python that moves work between threads. Each item crosses two queues; a thread that
# blocks on a full or empty queue releases the GIL, and is handed an item (and the GIL) back by
# whoever puts or gets next -- so this workload shows what a handoff costs under each policy.
#
# pipeline(nthreads, items): with nthreads >= 2, one producer thread and nthreads - 1 stage
# threads (the main thread consumes) pass `items` items through two queues of MAXSIZE; each
# stage squares its item and adds a little CPU-bound work (WORK additions). With nthreads = 1 the
# same work runs in one loop in the main thread, without queues (the baseline). Returns the sum
# of the results, the same for every nthreads. Runs under python3 and gilvm alike. `first` and
# `step` make the items range(first, items, step): gilbench's processes mode gives process i of k
# the items (i, k), so that the k results add up to the whole job's.
#
#   python3 workloads/pipeline.py [NTHREADS [ITEMS]]
#   python3 workloads/pipeline.py check     (results of small runs only: the differential tests)
#   python3 workloads/pipeline.py time N SIZE   (one timed run of pipeline(N, SIZE) alone)
import queue
import sys
import threading
import time

MAXSIZE = 8
WORK = 50
DONE = -1  # the end-of-stream marker (items are never negative)


def stage_work(item):
    acc = item * item
    for k in range(WORK):
        acc += k & item
    return acc % 1000003


def producer(out_q, items, nstages):
    for item in items:
        out_q.put(item)
    for _ in range(nstages):
        out_q.put(DONE)


def stage(in_q, out_q):
    while True:
        item = in_q.get()
        if item == DONE:
            out_q.put(DONE)
            return
        out_q.put(stage_work(item))


def pipeline(nthreads, items, first=0, step=1):
    items = range(first, items, step)
    if nthreads == 1:
        return sum(stage_work(item) for item in items)
    nstages = nthreads - 1
    to_stages = queue.Queue(MAXSIZE)
    to_consumer = queue.Queue(MAXSIZE)
    threads = [threading.Thread(target=producer, args=(to_stages, items, nstages))]
    for _ in range(nstages):
        threads.append(threading.Thread(target=stage, args=(to_stages, to_consumer)))
    for t in threads:
        t.start()
    total = 0
    finished = 0
    while finished < nstages:
        result = to_consumer.get()
        if result == DONE:
            finished += 1
        else:
            total += result
    for t in threads:
        t.join()
    return total


def main():
    if len(sys.argv) > 3 and sys.argv[1] == "time":
        # One timed run of pipeline(N, SIZE) alone, for measurements that read --stats of it.
        start = time.perf_counter()
        result = pipeline(int(sys.argv[2]), int(sys.argv[3]))
        print(f"elapsed {time.perf_counter() - start:.6f}")
        print(f"result {result}")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        # The differential tests' run: results only, small sizes, deterministic.
        for n in (1, 2, 4):
            print(f"pipeline n={n} result {pipeline(n, 400)}")
        return
    nthreads = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    start = time.perf_counter()
    seq_total = pipeline(1, items)
    seq = time.perf_counter() - start
    start = time.perf_counter()
    par_total = pipeline(nthreads, items)
    par = time.perf_counter() - start
    print(f"sequential {seq:.3f} s")
    print(f"threads({nthreads}) {par:.3f} s")
    print(f"ratio {par / seq:.2f}" if seq > 0 else "ratio nan")
    print(f"checksum {seq_total} {par_total}")


if __name__ == "__main__":
    main()
