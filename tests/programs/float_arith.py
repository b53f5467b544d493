# Checks float arithmetic: mixed int/float, floor division and modulo of floats, negative values.
print(1.5 + 2, 2 - 0.5, 3 * 0.5, 7.0 / 2, 0.5 * 0.5)
print(7.5 // 2, -7.5 // 2, 7.5 // -2, -7.5 // -2)
print(7.5 % 2, -7.5 % 2, 7.5 % -2, -7.5 % -2)
print(5.0 // 0.5, 1.0 % 0.1, 1 // 0.1)
print(-1.0 % 3, 1e-10 % 1, -1e-10 % 1)
print(0.1 + 0.7, 0.1 * 0.7, 1.0 - 0.9)
print(2.5 ** 2, 2 ** 0.5, (-8.0) ** 3)
print(1e16 + 1, 1e16 + 2)
total = 0.0
for i in range(1, 11):
    total += 1 / i
print(total)
print(sum([0.1] * 10), sum([0.5, 0.25, 0.125]))
x = 10.0
x -= 0.1
x *= 3
x /= 7
print(x)
print(abs(-2.5), abs(3.75), -(-1.25))
print(3.0 == 3, 3.0 * 2 == 6, 0.1 * 3 == 0.3)
