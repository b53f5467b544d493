class A:
    pass
A()[0]
