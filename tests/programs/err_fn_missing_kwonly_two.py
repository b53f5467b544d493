def f(*, b, c, d=1):
    pass

f()
