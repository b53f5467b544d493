# Two threads share a closure. Each update of `hits` is one list.append, atomic under the GIL, so
# the total is exact whatever the switching; the nonlocal counter is bumped by one thread at a time
# (each joined before the next starts), since `count += 1` is several instructions.
import threading


def make_counter():
    hits = []
    count = 0

    def bump(n):
        for _ in range(n):
            hits.append(1)

    def bump_nonlocal(n):
        nonlocal count
        for _ in range(n):
            count += 1

    def value():
        return len(hits), count

    return bump, bump_nonlocal, value


bump, bump_nonlocal, value = make_counter()
threads = [threading.Thread(target=lambda: bump(20000)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for _ in range(2):
    t = threading.Thread(target=lambda: bump_nonlocal(3000))
    t.start()
    t.join()
print(value())
