def f():
    x = 0
    def g(x):
        nonlocal x
    return g
