class A:
    pass
getattr(A(), 1)
