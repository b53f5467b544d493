import threading
r = threading.RLock()
r.acquire()
errors = []
def other():
    try:
        r.release()
    except RuntimeError as e:
        errors.append(str(e))
t = threading.Thread(target=other)
t.start()
t.join()
print(errors)
r.release()
r.release()
