sq = lambda x: x * x
print(sq(7))
add = lambda a, b=10: a + b
print(add(1), add(1, 2), add(b=5, a=1))
print((lambda: "none")())
print((lambda *a, **k: (a, k))(1, 2, z=3))
print((lambda a, *, b: a - b)(10, b=3))
