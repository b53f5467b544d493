def f():
    x = 1
    def g():
        return x
    del x
    x = 3
    return g()

print(f())
