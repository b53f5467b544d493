class A:
    pass
a = A()
a[0] = 1
