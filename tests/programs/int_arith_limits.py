# Checks int + - * near the 64-bit limits without overflowing, and mixed int/float results.
big = 9223372036854775807
small = -9223372036854775807 - 1
print(big, small)
print(big - 1, small + 1, big + small)
print(-big, -(small + 1))
print(big // 3, big % 1000)
print(3037000499 * 3037000499)
print(4611686018427387904 + 4611686018427387903)
print(123456789 * 987654321)
print(1 + 2.0, 3 * 1.5, 10 - 0.5)
print(abs(small + 1), abs(-5))
n = 1
for i in range(1, 21):
    n = n * i
print(n)
f = 1
for i in range(20):
    f = f * 2 + 1
print(f)
print(0 - 0, 5 - 5, 2 * 0)
