import threading
c = threading.Condition(threading.Lock())
with c:
    c.notify()
print("notified while owning")
c.notify()
