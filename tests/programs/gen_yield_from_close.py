def inner():
    yield 1
    yield 2


def outer():
    yield from inner()
    yield 3


sub = inner()


def wrap():
    yield from sub


w = wrap()
print(next(w))
w.close()
print(list(w), list(sub))
o = outer()
print(next(o), next(o), next(o))
