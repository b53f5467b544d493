# del of items and slices (with steps) of lists.
a = list(range(12))
del a[0]
print(a)
del a[-1]
print(a)
del a[1:3]
print(a)
del a[::3]
print(a)
del a[::-2]
print(a)
del a[5:1]
print(a)
del a[:]
print(a)
b = list("abcdefgh")
del b[1::2], b[0]
print(b)
c = [1, 2, 3]
del c[-2:], c[0]
print(c)
