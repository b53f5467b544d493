def g():
    yield 1
    return "bye"

it = g()
next(it)
it.send(None)
