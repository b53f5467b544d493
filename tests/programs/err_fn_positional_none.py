def g():
    pass

g(1)
