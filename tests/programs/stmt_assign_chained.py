# Checks chained assignment a = b = 0, including shared list objects and subscript targets.
a = b = 0
print(a, b)
a = a + 1
print(a, b)
x = y = z = "s"
print(x, y, z)
p = q = []
p.append(1)
print(p, q, p is q)
xs = [0, 0, 0]
xs[0] = xs[2] = 7
print(xs)
i = xs[1] = 5
print(i, xs)
m = n = (1, 2)
print(m == n, m)
