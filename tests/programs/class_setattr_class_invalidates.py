class A:
    x = 1


a = A()
def read(o):
    return o.x


print(read(a))
a.x = 2
print(read(a))
del a.x
print(read(a))
A.x = 3
print(read(a))
