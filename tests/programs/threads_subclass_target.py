import threading


def job(out, k):
    out.append(k * k)


class Plain(threading.Thread):
    pass


out = []
t = Plain(target=job, args=(out, 7))
t.start()
t.join()
print(out, isinstance(t, threading.Thread))
