# Checks Thread(target=, args=).start()/join(): the target runs with its args and results are visible.
import threading
results = [None, None, None]
def work(slot, a, b):
    results[slot] = a * b
threads = []
for i in range(3):
    t = threading.Thread(target=work, args=(i, i + 1, 10))
    threads.append(t)
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results)
def no_args():
    results.append("no args ran")
t = threading.Thread(target=no_args)
t.start()
t.join()
print(results[-1])
def one_arg(xs):
    xs.append(len(xs))
box = [7]
t = threading.Thread(target=one_arg, args=(box,))
t.start()
t.join()
print(box)
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
out = [0, 0]
def run_fib(slot, n):
    out[slot] = fib(n)
ts = [threading.Thread(target=run_fib, args=(0, 18)), threading.Thread(target=run_fib, args=(1, 19))]
ts[0].start()
ts[1].start()
ts[0].join()
ts[1].join()
print(out)
