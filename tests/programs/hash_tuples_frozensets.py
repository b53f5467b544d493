# hash() of tuples (CPython 3.11's xxHash-based combination, order matters) and frozensets
# (order does not); equal containers hash alike.
for t in [(), (0,), (1,), (1, 2), (2, 1), (1, 2, 3), ((1, 2), 3), (1, (2, 3)), ('a', 'b'),
          (1.5, -1), (True, None if False else 0), ((), ()), (-1,), (-2,), (2**62, -(2**62))]:
    print(t, hash(t))
for f in [frozenset(), frozenset({0}), frozenset({1}), frozenset({1, 2}), frozenset({2, 1}),
          frozenset({1, 2, 3}), frozenset('abc'), frozenset({(1, 2), 3}),
          frozenset({frozenset({1}), frozenset()}), frozenset(range(100))]:
    print(len(f), hash(f))
print(hash((1, 2)) == hash((1.0, 2.0)), hash((1,)) == hash((True,)))
print(hash(frozenset({1, 2})) == hash(frozenset([2, 1, 2])))
