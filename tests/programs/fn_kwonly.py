def f(a, *, b=1, c):
    return (a, b, c)

print(f(1, c=3))
print(f(1, b=2, c=3))
print(f(c=0, a=9))


def g(*, x, y=10):
    return x + y

print(g(x=1), g(y=1, x=2))
