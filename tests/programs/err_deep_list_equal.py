# Checks == on lists nested deeper than the recursion limit is CPython's RecursionError, not a
# silent False; nesting within the limit compares as usual.
a = []
b = []
for i in range(500):
    a = [a]
    b = [b]
print(a == b, a != b, a == [a], a in [1, b])
for i in range(500):
    a = [a]
    b = [b]
print(a == b)
