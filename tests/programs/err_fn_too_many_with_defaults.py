def f(a, b=1, *, c=2):
    pass

f(1, 2, 3, c=4)
