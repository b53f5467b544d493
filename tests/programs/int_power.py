# Checks ** with int, negative and zero exponents (negative gives float), and float bases.
print(2 ** 10, 3 ** 0, 0 ** 0, (-3) ** 3, (-2) ** 4)
print(2 ** -1, 2 ** -2, 10 ** -3, 4 ** -0.5)
print((-2) ** -1, (-2) ** -2)
print(2 ** 62, 2 ** 62 - 1 + 2 ** 62)
print(1 ** 1000, (-1) ** 1001)
print(2.0 ** 3, 9 ** 0.5, 2 ** 0.5, 1.5 ** 2)
print(10 ** 18, -(10 ** 18))
print(0 ** 5, 7 ** 1)
x = 3
x = x ** 2
print(x)
print(True ** 2, 2 ** True, 2 ** False)
