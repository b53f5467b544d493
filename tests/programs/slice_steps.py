# Reading slices with steps from lists, tuples, strs, bytes and ranges.
a = list(range(10))
for s in [(None, None, -1), (1, 8, 3), (None, None, 2), (-1, -5, -1), (8, 1, -2), (None, None, -3), (100, None, -1), (None, -100, -1), (3, 3, 1), (-3, None, 1), (None, None, 11), (5, None, -7)]:
    start, stop, step = s
    print(s, a[start:stop:step], tuple(a)[start:stop:step], "abcdefghij"[start:stop:step], b"0123456789"[start:stop:step], range(10)[start:stop:step])
print(a[::], a[1::], a[:3:], "héllo wörld"[::-1], "héllo wörld"[1::3], range(1, 20, 3)[::-1], range(20, 1, -4)[1:3])
print(range(10)[2:5], range(10)[-3:], range(0)[::-1], range(5, 0, -1)[::2], len(range(0, 100, 7)[3:50:2]))
print(slice(1, 2), slice(3), slice(1, None, -1), a[slice(2, 6)], a[slice(None, None, 4)], "xyz"[slice(1, None)])
