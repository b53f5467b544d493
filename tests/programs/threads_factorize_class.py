from threading import Thread
import threading

def factorize(n):
    factors = []
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors.append(d)
            n //= d
        d += 1
    if n > 1:
        factors.append(n)
    return factors

class Factorizer(Thread):
    def __init__(self, numbers):
        super().__init__()
        self.numbers = numbers
        self.results = []
    def run(self):
        for n in self.numbers:
            self.results.append(factorize(n))

numbers = [2139079, 1214759, 1516637, 1852285, 9999991, 600851475]
threads = []
for i in range(3):
    t = Factorizer(numbers[i * 2:i * 2 + 2])
    t.start()
    threads.append(t)
for t in threads:
    t.join()
for t in threads:
    print(t.numbers, t.results)
print(isinstance(threads[0], Thread), threads[0].name)

class W(threading.Thread):
    def __init__(self, k):
        Thread.__init__(self, name="worker-%d" % k)
        self.k = k
    def run(self):
        self.out = self.k * 2
w = W(4)
w.start()
w.join()
print(w.out, w.name, w.is_alive())
