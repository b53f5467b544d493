def g():
    x = yield
    print("x", x)
    y = (yield 1) + 10
    print("y", y)
    print("z", (yield))
    yield x, y

it = g()
print(next(it))
print(it.send("a"))
print(it.send(5))
print(it.send("last"))
