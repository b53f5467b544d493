# Checks Thread name=, .name, and current_thread().name inside threads and in the main thread.
import threading
print(threading.current_thread().name)
seen = ["", "", ""]
def record(slot):
    seen[slot] = threading.current_thread().name
names = ["alpha", "beta", "gamma"]
threads = []
for i in range(3):
    t = threading.Thread(target=record, args=(i,), name=names[i])
    threads.append(t)
for t in threads:
    print("before start", t.name)
    t.start()
for t in threads:
    t.join()
print(seen)
print(threads[0].name, threads[2].name)
named = threading.Thread(target=record, args=(0,), name="worker-" + str(42))
named.start()
named.join()
print(seen[0], named.name)
print(threading.current_thread().name)
