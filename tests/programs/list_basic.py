# Checks list literals, len, indexing with negative indexes, iteration, printing nested lists.
xs = [10, 20, 30, 40]
print(xs, len(xs), xs[0], xs[3], xs[-1], xs[-4])
print([], len([]), [[]], [1, [2, [3]]])
print([1, "two", 3.0, None, True, (4,), b"5"])
for x in xs:
    print(x)
total = 0
for x in xs:
    total += x
print(total)
ys = list(xs)
ys[0] = 0
print(xs, ys)
zs = xs
zs[0] = 99
print(xs, zs is xs, ys is xs)
m = [[1, 2], [3, 4]]
print(m[1][0], m[-1][-1], len(m), len(m[0]))
print(list((1, 2)), list(range(3)), list([5]))
e = [
    1,
    2,
]
print(e)
