# Checks float printing uses the shortest round-trip repr, in fixed or exponent form by magnitude.
print(0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 2.5, 100.0)
print(1e16, 1e15, 123456789012345678.0, 9999999999999998.0)
print(1e22, 1e23, 1.7976931348623157e308)
print(1.5e-05, 0.0001, 0.00001, 1e-4, 1.23e-5)
print(5e-324, 2.2250738585072014e-308, 1e-300)
print(3.0, -3.0, 1.0 * 10, 10.0 / 4)
print(0.3, 0.7, 1.1, 2.675, 1.005)
print(123.456, 1234567.0, 12345678.9)
print(1e5, 1e6 + 0.5, 2 ** 0.5 * 2 ** 0.5)
print(str(0.1), str(1e16), str(1.5e-05))
print([0.1, 1e16, 1.5e-05], (2.5,))
x = 0.0
for i in range(10):
    x += 0.1
print(x)
print(1e300 * 1e10 > 1e308, -1e-320)
print(4.35 * 100, 0.1 * 3, 1.1 * 1.1)
print(float(2 ** 53), float(2 ** 53 + 1), 2.0 ** 60)
