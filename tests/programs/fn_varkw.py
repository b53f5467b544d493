def f(**kw):
    return kw

print(f(), f(a=1), f(b=2, a=1))


def g(a, **kw):
    return a, kw

print(g(1, z=3, y=2))
print(g(a=5, q=1))


def h(a, *args, k=0, **kw):
    return a, args, k, kw

print(h(1, 2, 3, k=4, m=5, n=6))
