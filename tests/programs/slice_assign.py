# Slice assignment: the length may change for step 1, not for extended slices.
a = list(range(10))
a[1:3] = ["x", "y", "z"]
print(a)
a[::2] = range(6)
print(a)
a[:0] = [100]
a[len(a):] = [200]
print(a)
a[3:1] = ["between"]
print(a)
a[-2:] = []
print(a)
a[::-1] = a
print(a)
b = [1, 2, 3]
b[:] = b
print(b)
b[1:2] = "abc"
print(b)
b[5:] = (9, 9)
print(b)
b[1:5:2] = [None, None]
print(b)
c = [0] * 6
c[::-2] = [1, 2, 3]
print(c)
c[1:3] += [7, 8]
print(c)
c[:2] *= 2
print(c)
d = list(range(5))
d[10:20] = [1]
d[-100:1] = ["start"]
print(d)
