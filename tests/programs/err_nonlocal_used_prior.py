def f():
    x = 0
    def g():
        print(x)
        nonlocal x
    return g
