# Thread extras: daemon, is_alive, join(timeout), enumerate, main_thread, native_id.
import threading
ev = threading.Event()
t = threading.Thread(target=ev.wait, name="waiter")
print(t.daemon, t.is_alive(), t.ident is None, t.native_id is None)
t.start()
print(t.is_alive())
t.join(0.01)
print(t.is_alive(), len(threading.enumerate()))
ev.set()
t.join()
print(t.is_alive(), len(threading.enumerate()), t.native_id is not None, t.ident is not None)
print(threading.main_thread().name, threading.main_thread() is threading.current_thread())
d = threading.Thread(target=print, daemon=True)
print(d.daemon)
d.daemon = False
print(d.daemon)
class Worker(threading.Thread):
    def run(self):
        pass
w = Worker(daemon=True)
print(w.daemon, w.is_alive())
w.start()
w.join(timeout=1)
print(w.is_alive())
