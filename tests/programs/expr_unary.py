# Checks unary minus, plus and not on ints, floats, bools and other values.
x = 5
print(-x, +x, --x, -(-x), - - x)
print(-0, +0, -1.5, +2.5, -0.0)
print(not x, not 0, not not x)
print(not "", not "a", not [], not [1], not None, not (), not 0.0)
print(-True, +True, -False)
print(-x ** 2, (-x) ** 2)
print(not x == 5, not x > 10)
print(-(3 - 10), -abs(-4))
y = -x
print(y, -y)
print(not 1 + 1 == 3)
