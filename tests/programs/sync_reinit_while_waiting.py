# Event.__init__ called again while another thread waits on the event: the waiter keeps waiting
# on the old internals (it times out, False), as in CPython; the event starts afresh.
import threading
import time

e = threading.Event()


def waiter():
    print("waited", e.wait(0.3))


t = threading.Thread(target=waiter)
t.start()
time.sleep(0.05)
e.__init__()
t.join()
print("set after re-init", e.is_set())
e.set()
print("set", e.is_set())
