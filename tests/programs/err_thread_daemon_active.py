import threading
ev = threading.Event()
t = threading.Thread(target=ev.wait)
t.start()
try:
    t.daemon = True
finally:
    ev.set()
    t.join()
