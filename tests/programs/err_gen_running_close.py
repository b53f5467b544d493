def g():
    me.close()
    yield 1

me = g()
next(me)
