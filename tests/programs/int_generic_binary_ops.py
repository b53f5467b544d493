# The generic binary instructions (BINARY_OP, INPLACE_OP) on two ints take a quick path for the
# easy cases; the edges must still match CPython: bools, negative operands, big shift counts,
# int64 overflow of + - * (gilvm's OverflowError is the subset's documented limit, not tested
# here), and the errors.
vals = [0, 1, 2, 7, -1, -7, 12345, -12345, 2**31 - 1, 2**40 + 3, -(2**40) - 5]
for a in vals:
    for b in vals:
        print(a & b, a | b, a ^ b, end=" ")
        if b != 0:
            print(a % b, a // b, end=" ")
        if 0 <= b < 70:
            print(a >> b, end=" ")
        print(a - b, a + b)

for s in [0, 1, 31, 62, 63, 64, 100, 1000]:
    print(s, 5 >> s, -5 >> s, (2**62) >> s, -(2**62) >> s)

print(True & True, True | False, True ^ True, True & 3, False | 0, True >> 0, True % 2)
print(type(True & True).__name__, type(True & 3).__name__, type(True >> 0).__name__)

x = 100
x -= 7
x &= 0xF0
x |= 3
x ^= 1
x >>= 2
x %= 7
x //= 2
print(x)
y = True
y &= True
print(y, type(y).__name__)
z = 10
z -= True
print(z)

for a, b in [(1, -1), (-1, 0)]:
    try:
        print(a >> b)
    except ValueError as e:
        print("ValueError:", e)
try:
    print(5 % 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(5 // 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(5 & 1.5)
except TypeError as e:
    print("TypeError:", e)
w = 3
try:
    w -= "a"
except TypeError as e:
    print("TypeError:", e)
print(2.5 % 1, 7 // 2.0, 1 - 0.5)
