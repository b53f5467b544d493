# A bank: four threads move money between accounts, each account with its own lock (taken in
# a fixed order); the total never changes.
import threading
N = 8
balances = [1000] * N
locks = [threading.Lock() for _ in range(N)]
def transfer(src, dst, amount):
    first, second = min(src, dst), max(src, dst)
    with locks[first]:
        with locks[second]:
            if balances[src] >= amount:
                balances[src] -= amount
                balances[dst] += amount
def teller(seed):
    x = seed
    for _ in range(3000):
        x = (x * 1103515245 + 12345) % 2147483648
        src = x % N
        dst = (x // N) % N
        if src != dst:
            transfer(src, dst, x % 50)
threads = [threading.Thread(target=teller, args=(s,)) for s in (1, 2, 3, 4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sum(balances), len(balances))
