# notify_all wakes every waiter; notify(n) wakes at most n.
import threading
cond = threading.Condition()
ready = [0]
go = [0]
woken = []
def waiter(i):
    with cond:
        ready[0] += 1
        cond.notify_all()
        while go[0] == 0:
            cond.wait()
        woken.append(i)
threads = [threading.Thread(target=waiter, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
with cond:
    while ready[0] < 4:
        cond.wait()
    go[0] = 1
    cond.notify(2)
    cond.notify_all()
for t in threads:
    t.join()
print(sorted(woken))
