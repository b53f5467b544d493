# Iterating sets: for loops, list/tuple/sum/min/max, str.join, unpacking, and iterating while
# only reading.
s = {5, 3, 8, 1}
for x in s:
    print(x)
print(list(s), tuple(s), sum(s), min(s), max(s), len(s))
print(', '.join({'b', 'a', 'c'}))
a, b = {10, 20}
print(a, b)
total = 0
for x in s:
    for y in s:
        total += x * y
print(total)
f = frozenset({'z', 'y'})
for item in f:
    print(item)
it_list = list(set())
print(it_list, sum(set()), bool(set()), bool({0}))
