# Floats hash to the int of equal value when integral (so 1.0 and 1 are one item), else by
# CPython's modular algorithm; mixed sets of numbers, strs and tuples.
print({0.5, 1.5, 2.5, -0.5, 0.1, 0.2, 0.3})
print({1.0, 1, True}, {1, 1.0}, {0, 0.0, -0.0, False})
print({1e10, 1e-10, 1e100, -1e100, 2.0**60, 2.0**70, float('inf'), float('-inf')})
print({3, 'three', 3.5, (3,), b'3', frozenset({3})})
print({(1, 2), (2, 1), (1, 2, 3), (), ((),)})
print({1.25, 'a', (1, 'a'), -7, 0.0})
nums = set()
for i in range(30):
    nums.add(i / 4)
print(nums)
