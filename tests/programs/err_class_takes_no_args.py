class C:
    pass
C(1)
