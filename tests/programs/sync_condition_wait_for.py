# Condition.wait_for returns the predicate's value; with a timeout that passes, its last value.
import threading
cond = threading.Condition(threading.Lock())
state = {"n": 0}
def bump():
    for _ in range(5):
        with cond:
            state["n"] += 1
            cond.notify_all()
t = threading.Thread(target=bump)
with cond:
    t.start()
    print(cond.wait_for(lambda: state["n"] >= 5))
t.join()
with cond:
    print(cond.wait_for(lambda: state["n"] > 100, timeout=0.01))
    print(cond.wait_for(lambda: state["n"], 0.01))
