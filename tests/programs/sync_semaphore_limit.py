# A semaphore bounds how many threads are inside at once.
import threading, time
sem = threading.Semaphore(2)
lock = threading.Lock()
inside = [0]
peak = [0]
def work():
    with sem:
        with lock:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        time.sleep(0.005)
        with lock:
            inside[0] -= 1
threads = [threading.Thread(target=work) for _ in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(peak[0] <= 2, inside[0])
