def f():
    [zq for zq in range(3)]
    return zq

f()
