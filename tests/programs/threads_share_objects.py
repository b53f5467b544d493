# Threads that share one dict, one set and one instance (its attribute table grows while others
# read it), with methods, closures and try/except in their loops: the GIL keeps every update
# whole, and TSan's run of the corpus watches the VM's own accesses.
import threading


class Board:
    def __init__(self):
        self.total = 0

    def post(self, name, value):
        setattr(self, name, getattr(self, name, 0) + value)
        self.total += value


board = Board()
counts = {}
seen = set()
ROUNDS = 3000


def worker(index):
    key = "t%d" % index
    misses = 0

    def note(i):
        seen.add((index, i % 7))
    for i in range(ROUNDS):
        counts[key] = counts.get(key, 0) + 1
        board.post(key, i % 3)
        note(i)
        try:
            counts["t%d" % ((index + 1) % 4)] + 0
        except KeyError:
            misses += 1
    counts[key + "_misses_seen"] = misses >= 0


threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted((k, v) for k, v in counts.items() if not k.endswith("_misses_seen")))
print(all(v for k, v in counts.items() if k.endswith("_misses_seen")))
print(board.total, [getattr(board, "t%d" % n) for n in range(4)])
print(len(seen), sorted(seen)[:3])
