# next() on a generator that returns a value: the StopIteration carries it.
def g():
    return 5
    yield
next(g())
