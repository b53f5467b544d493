# Two threads take turns through one Condition, under a tiny switch interval.
import sys, threading
sys.setswitchinterval(1e-6)
cond = threading.Condition()
turn = ["a"]
log = []
def play(me, other, n):
    for i in range(n):
        with cond:
            cond.wait_for(lambda: turn[0] == me)
            log.append(me)
            turn[0] = other
            cond.notify_all()
a = threading.Thread(target=play, args=("a", "b", 50))
b = threading.Thread(target=play, args=("b", "a", 50))
a.start()
b.start()
a.join()
b.join()
print(len(log), "".join(log[:6]), log.count("a"), log.count("b"))
