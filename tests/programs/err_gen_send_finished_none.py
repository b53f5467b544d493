def g():
    x = yield 1

it = g()
next(it)
it.send(2)
