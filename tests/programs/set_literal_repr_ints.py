# Sets of ints print in their hash table's order, which CPython's table decides: small
# non-negative ints by value, collisions (multiples of the table size) after probing,
# negatives and big ints by their hash.
print({3, 1, 2}, {1, 2}, {2, 1}, set(), frozenset(), frozenset({3, 1, 2}))
print({8, 16, 24, 0}, {0, 8, 16, 24, 32, 40})
print({-1, -2, -3, 0, 1, 2})
print({100, 5, 37, 64, 9, 1024, 7})
print({2**61 - 1, 2**61, 2**61 + 1, -(2**61), 2**62, -(2**62), 9223372036854775807,
       -9223372036854775807 - 1})
print({1, 1, 1, 2, 2, 3})
x = 5
print({x, x + 8, x + 16, x - 8, x * 100})
s = set()
for i in [17, 1, 33, 49, 65, 81, 97, 113, 9, 25]:
    s.add(i)
print(s)
t = set()
for i in range(20, 0, -1):
    t.add(i * 8)
print(t)
print({True, False, 2, 1, 0})
