# task_done and join: join returns once every item put has been marked done.
import queue, threading
q = queue.Queue()
done = []
for i in range(5):
    q.put(i)
def worker():
    while True:
        try:
            item = q.get_nowait()
        except queue.Empty:
            return
        done.append(item * item)
        q.task_done()
t = threading.Thread(target=worker)
t.start()
q.join()
t.join()
print(sorted(done))
try:
    q.task_done()
except ValueError as e:
    print("ValueError:", e)
