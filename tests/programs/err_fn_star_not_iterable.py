def g(*a):
    pass

g(*5)
