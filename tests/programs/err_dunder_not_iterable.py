class A:
    pass
for x in A():
    pass
