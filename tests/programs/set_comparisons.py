# Subset and superset tests: <= < >= > between sets and frozensets, issubset/issuperset/
# isdisjoint with any iterable, and == across set and frozenset.
a = {1, 2}
b = {1, 2, 3}
print(a <= b, a < b, b >= a, b > a, a >= b, a > b, b <= a, b < a)
print(a <= a, a < a, a >= a, a > a, a == a, a != a)
print({1, 2} == frozenset({2, 1}), frozenset({1}) == {1}, {1} != frozenset({2}), set() == frozenset())
print(frozenset({1}) < {1, 2}, {1, 2} > frozenset({1}), frozenset() <= set())
print(a.issubset(b), a.issubset([1, 2, 5]), a.issubset('ab'), b.issubset(a), set().issubset([]))
print(b.issuperset(a), b.issuperset([1, 2]), b.issuperset([1, 9]), a.issuperset(range(1, 3)))
print(a.isdisjoint({3, 4}), a.isdisjoint([2]), a.isdisjoint(''), set().isdisjoint(set()), a.isdisjoint(a))
print({1, 2} == [1, 2], {1} == {1: 'a'}, {1} != [1], {(1, 2)} == {(1, 2)})
print({1, 2, 3} <= {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {10, 20} < {10})
x = {0.5, 'a'}
print(x <= {'a', 0.5, None}, x == {'a', 0.5})
