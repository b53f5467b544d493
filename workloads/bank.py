# bank: threads transferring money between accounts, each account guarded by its own
# threading.Lock, taken in account order so that two transfers never deadlock. Contention on the
# locks and on the GIL together: a thread holding an account's lock can be made to drop the GIL
# while another thread waits for that lock (the double convoy).
#
# bank(nthreads, transfers) opens ACCOUNTS accounts of OPENING each, then makes `transfers`
# transfers of one unit between accounts a small generator picks, split over nthreads threads
# (the first takes the remainder; nthreads = 1 runs them in the main thread, the sequential
# baseline). It then audits the accounts under all their locks and returns the transfers made +
# the drift of the total money, which transfers conserve: `transfers` for every nthreads (and the
# shares of n processes add up to the whole job's). Runs under
# python3 and gilvm alike.
#
#   python3 workloads/bank.py [NTHREADS [TRANSFERS]]
#   python3 workloads/bank.py check     (results of small runs only: the differential tests)
#   python3 workloads/bank.py time N SIZE   (one timed run of bank(N, SIZE) alone)
import sys
import threading
import time

ACCOUNTS = 8
OPENING = 1000


class Account:
    def __init__(self, number):
        self.number = number
        self.balance = OPENING
        self.lock = threading.Lock()


def teller(accounts, count, seed):
    state = seed
    done = 0
    for _ in range(count):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        a = accounts[(state >> 16) % ACCOUNTS]
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        b = accounts[(state >> 16) % ACCOUNTS]
        if a is b:
            b = accounts[(a.number + 1) % ACCOUNTS]
        first, second = (a, b) if a.number < b.number else (b, a)
        with first.lock:
            with second.lock:
                a.balance -= 1
                b.balance += 1
                done += 1
    return done


def audit(accounts):
    for acct in accounts:
        acct.lock.acquire()
    total = sum(acct.balance for acct in accounts)
    for acct in reversed(accounts):
        acct.lock.release()
    return total


def bank(nthreads, transfers):
    accounts = [Account(i) for i in range(ACCOUNTS)]
    share = transfers // nthreads
    counts = [transfers - share * (nthreads - 1)] + [share] * (nthreads - 1)
    done = [0] * nthreads
    if nthreads == 1:
        done[0] = teller(accounts, counts[0], 1)
    else:
        def work(k):
            done[k] = teller(accounts, counts[k], k + 1)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(nthreads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    # transfers when the audit finds the money conserved; any drift shows in the result
    return sum(done) + audit(accounts) - ACCOUNTS * OPENING


def main():
    if len(sys.argv) > 3 and sys.argv[1] == "time":
        # One timed run of bank(N, SIZE) alone, for measurements that read --stats of it.
        start = time.perf_counter()
        result = bank(int(sys.argv[2]), int(sys.argv[3]))
        print(f"elapsed {time.perf_counter() - start:.6f}")
        print(f"result {result}")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        # The differential tests' run: results only, small sizes, deterministic.
        for n in (1, 2, 4):
            print(f"bank n={n} result {bank(n, 3000)}")
        return
    nthreads = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    transfers = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
    start = time.perf_counter()
    seq_total = bank(1, transfers)
    seq = time.perf_counter() - start
    start = time.perf_counter()
    par_total = bank(nthreads, transfers)
    par = time.perf_counter() - start
    print(f"sequential {seq:.3f} s")
    print(f"threads({nthreads}) {par:.3f} s")
    print(f"ratio {par / seq:.2f}" if seq > 0 else "ratio nan")
    print(f"checksum {seq_total} {par_total}")


if __name__ == "__main__":
    main()
