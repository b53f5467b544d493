def f(a, b=2, *args, c=3, **kw):
    def g():
        return (a, b, args, c, kw)
    return g

print(f(1)())
print(f(1, 5, 6, 7, c=8, d=9)())


def counter_from(start):
    def step():
        nonlocal start
        start += 1
        return start
    return step

s = counter_from(10)
print(s(), s())
