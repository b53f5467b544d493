# divmod of ints and floats (floor semantics, signed zeros) and pow with two and three arguments.
for a in (7, -7, 0):
    for b in (2, -2, 3):
        print(a, b, divmod(a, b), divmod(float(a), b), divmod(a, float(b)))
print(divmod(7.5, 2), divmod(-7.5, 2), divmod(7.5, -2), divmod(0.0, -3), divmod(-0.0, 3))
print(divmod(1e300, 1e-300) if False else divmod(10 ** 10, 7), divmod(True, 2), divmod(5.5, 0.5))
print(pow(2, 10), pow(2, -2), pow(2.0, 3), pow(-8, 1 / 3) if False else pow(4, 0.5), pow(0, 0))
print(pow(3, 4, 5), pow(-3, 3, 7), pow(3, 3, -7), pow(2, 100, 1000000007), pow(5, 0, 1), pow(5, 0, 3))
print(pow(3, -1, 7), pow(2, -3, 11), pow(-2, -1, 5), pow(7, -2, -13))
print(pow(base=2, exp=5), pow(2, exp=3), pow(2, 5, mod=3), pow(10, -1))
print(pow(123456789, 987654321, 2 ** 61 - 1), pow(2, 62, 9223372036854775807), pow(3, 200, 9223372036854775807))
