def g():
    yield 1
    return "ignored"


it = g()
print(next(it), next(it, "default"), next(it, None))
