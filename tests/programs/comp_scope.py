x = "outer"
ys = [x for x in range(3)]
print(x, ys)


def f():
    i = "f"
    out = [i for i in "ab"]
    return i, out

print(f())


def g(n):
    return [n * k for k in range(3)]

print(g(5))


def h():
    base = 10
    return {k: base + k for k in range(2)}, {base - k for k in range(2)}

print(h())
