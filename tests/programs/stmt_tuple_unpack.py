# Checks tuple unpacking: swaps, rotation, from lists, tuples, function results, loop updates.
a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
x, y, z = 1, 2, 3
x, y, z = z, x, y
print(x, y, z)
p, q = [10, 20]
print(p, q)
t = (4, 5)
u, v = t
print(u + v)
def divmod2(n, d):
    return n // d, n % d
qq, rr = divmod2(17, 5)
print(qq, rr)
f, g = divmod2(-17, 5)
print(f, g)
pairs = [(1, "a"), (2, "b")]
for pair in pairs:
    num, ch = pair
    print(num, ch)
lo, hi = 0, 100
while hi - lo > 1:
    mid = (lo + hi) // 2
    lo, hi = (mid, hi) if mid * mid <= 50 else (lo, mid)
print(lo, hi)
