# Checks start/join one thread at a time gives a fixed interleaving of output, and nested thread creation.
import threading
def say(msg, n):
    for i in range(n):
        print(msg, i)
for name in ["one", "two", "three"]:
    t = threading.Thread(target=say, args=(name, 2), name=name)
    t.start()
    t.join()
    print("joined", t.name)
log = []
def child(depth):
    log.append(depth)
    if depth < 3:
        c = threading.Thread(target=child, args=(depth + 1,))
        c.start()
        c.join()
t = threading.Thread(target=child, args=(0,))
t.start()
t.join()
print(log, threading.active_count())
def returns_value():
    return 42
t = threading.Thread(target=returns_value)
t.start()
print(t.join())
