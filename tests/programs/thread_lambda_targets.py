import threading

out = []
lock_free = [threading.Thread(target=lambda k=k: out.append(k * k)) for k in range(4)]
for t in lock_free:
    t.start()
    t.join()
print(out)


def run_with(fn, *args, **kwargs):
    t = threading.Thread(target=lambda: out.append(fn(*args, **kwargs)))
    t.start()
    t.join()


run_with(lambda a, b=0: a + b, 1, b=2)
print(out)
