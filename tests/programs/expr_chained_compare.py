# Checks chained comparisons a < b < c, mixed operators, and that the middle operand is evaluated once.
calls = [0]
def mid(v):
    calls[0] += 1
    return v
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1, 1 < 2 > 0)
print(1 == 1 == 1, 1 == 1 != 2, 1 <= 1 < 2 <= 2)
print(0 < mid(5) < 10, calls[0])
print(0 < mid(50) < 10, calls[0])
print(10 < mid(5) < 20, calls[0])
x = 5
print(0 <= x < 10, 0 <= x < 5, x == 5 > 4)
print(1 < 2 < 3 < 4 < 5, 1 < 2 < 3 < 2 < 5)
print("a" < "b" < "c", "a" < "c" < "b")
print(1 in [1, 2] == True)
print(1 < 2 in [True])
xs = [1, 2]
print(1 in xs in [xs], 3 not in xs is not None)
