# Checks Thread(args=...) is unpacked when the thread runs, as CPython's run() does: a value that
# is not iterable constructs fine and fails in its thread with CPython's TypeError, and the
# program goes on; a str is iterated, a list read when the thread starts.
import threading
got = []
def f(a):
    got.append(a)
t = threading.Thread(target=f, args=5)
print("constructed", t.name)
t.start()
t.join()
items = ["x"]
t2 = threading.Thread(target=f, args=items)
items[0] = "y"
t2.start()
t2.join()
t3 = threading.Thread(target=f, args="z")
t3.start()
t3.join()
print(got, threading.Thread(target=got.append).name, threading.Thread(args=5).name)
