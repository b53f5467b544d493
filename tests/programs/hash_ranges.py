# hash(range) is the hash of (len, start, step), with None where a part does not matter, so that
# equal ranges are one dict key or set item.
print(hash(range(3)) == hash((3, 0, 1)), hash(range(5, 0, -2)) == hash((3, 5, -2)), hash(range(2, 3)) == hash(range(2, 3, 7)))
print({range(3), range(0, 3), range(0, 3, 1)}, {range(0): 1, range(5, 5): 2}, len({range(2, 3), range(2, 3, 9)}))
print(hash(range(10)), hash(range(1, 100, 3)), hash(range(-5, 5)))
