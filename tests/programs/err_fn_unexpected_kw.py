def f(a, b=1):
    pass

f(1, z=2)
