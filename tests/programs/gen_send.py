def echo():
    got = None
    while True:
        got = yield got
        if got == "stop":
            return "done"

g = echo()
print(next(g))
print(g.send(1))
print(g.send("two"))
print(next(g))
print(g.send([3]))


def acc():
    total = 0
    while True:
        x = yield total
        total += x

a = acc()
next(a)
for v in [1, 2, 3]:
    print(a.send(v))
