# Ordering lists nested far deeper than the recursion limit: a RecursionError, not a crash.
a = [1]
b = [2]
for i in range(100000):
    a = [a]
    b = [b]
print([[1]] < [[2]])
print(a < b)
