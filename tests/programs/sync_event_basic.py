# Event: set, clear, is_set, wait with and without a timeout.
import threading
e = threading.Event()
print(e.is_set(), e.wait(0.01), e.wait(timeout=0))
def setter():
    e.set()
t = threading.Thread(target=setter)
t.start()
print(e.wait())
t.join()
print(e.is_set(), e.wait(0.01))
e.clear()
print(e.is_set(), e.wait(0.01))
print(repr(e).split()[0], repr(e).endswith("unset>"))
