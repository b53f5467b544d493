# Checks an exception in a thread: reported on stderr, the thread ends, the program goes on and exits 0.
import threading
results = []
def bad(n):
    results.append("bad started")
    return [1, 2][n]
def good():
    results.append("good ran")
t = threading.Thread(target=bad, args=(5,), name="failing")
t.start()
t.join()
print(results)
g = threading.Thread(target=good)
g.start()
g.join()
print(results)
print(threading.active_count())
print("main continues")
