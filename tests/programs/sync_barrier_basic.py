# Barrier: wait returns each thread's index 0..parties-1; the action runs once per round.
import threading
rounds = []
b = threading.Barrier(3, action=lambda: rounds.append("round"))
indexes = []
lock = threading.Lock()
def worker():
    for _ in range(2):
        i = b.wait()
        with lock:
            indexes.append(i)
threads = [threading.Thread(target=worker) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(indexes), rounds, b.parties, b.n_waiting, b.broken)
