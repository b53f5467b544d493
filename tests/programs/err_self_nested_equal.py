# Checks == on two lists that each contain themselves recurses until CPython's RecursionError,
# while comparing one with itself is True at once (identity) and printing it shows [...]. The
# error is raised in a thread, so that the main thread can break the cycles afterwards: gilvm
# has no cycle collector, and a cycle left at exit is a leak under LeakSanitizer.
import threading
x = []
x.append(x)
y = []
y.append(y)
print(x == x, x, [x] == [x])
def compare():
    print(x == y)
t = threading.Thread(target=compare)
t.start()
t.join()
x.pop()
y.pop()
print(x == y, x, y)
