# Checks bool as a subtype of int in arithmetic: True + 1, sums of bools, bool * str.
print(True + 1, True + True, False + False, True - True)
print(True * 10, False * 10, True / 2, True // 1, True % 2)
print(-True, True + 0.5)
print(True == 1, False == 0, True == 2)
print(sum([True, False, True, True]))
print(3 * True, "ab" * True, "ab" * False, [0] * True)
print([1, 2, 3][True], [1, 2, 3][False])
n = 0
for v in [5, -1, 7, 0, 3]:
    n += v > 2
print(n)
print(True + False, max(True, False), min(True, 2))
print((1 < 2) + (2 < 3) + (3 < 1))
x = True
x += 1
print(x)
