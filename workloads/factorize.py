# factorize: the classic generator demonstration of CPU-bound threads under a GIL.
#
# factorize(number) yields every divisor of number by trial division. The script factorizes four
# numbers one after another (sequential), then in one thread each (threaded), and prints both wall
# times, their ratio, and a checksum (the sum of all divisors of all four numbers). The threads
# share no object with the main thread -- each only computes -- so the script runs unchanged under
# every GIL policy, gilvm's subinterp (one interpreter per thread) included; gilbench checks each
# thread's result through the VM's API. Runs under python3 and gilvm (the subset of docs/language.md).
#
#   python3 workloads/factorize.py
#   build/release/bin/gilvm workloads/factorize.py
#
# Output (one figure per line, stable for scripts):
#   factorize numbers=4
#   sequential 0.700 s
#   threads(4) 0.900 s
#   ratio 1.29
#   checksum 7260864
import threading
import time

NUMBERS = [2139079, 1214759, 1516637, 1582285]


def factorize(number):
    for i in range(1, number + 1):
        if number % i == 0:
            yield i


# The sum of number's divisors: a thread's whole job.
def divisor_sum(number):
    return sum(list(factorize(number)))


def run_sequential():
    total = 0
    start = time.perf_counter()
    for number in NUMBERS:
        total += sum(list(factorize(number)))
    return (time.perf_counter() - start, total)


def run_threaded():
    threads = []
    for number in NUMBERS:
        threads.append(threading.Thread(target=divisor_sum, args=(number,)))
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main():
    print(f"factorize numbers={len(NUMBERS)}")
    seq, seq_total = run_sequential()
    print(f"sequential {seq:.3f} s")
    par = run_threaded()
    print(f"threads({len(NUMBERS)}) {par:.3f} s")
    if seq > 0:
        print(f"ratio {par / seq:.2f}")
    else:
        print("ratio nan")
    print(f"checksum {seq_total}")


if __name__ == "__main__":
    main()
