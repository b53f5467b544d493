# keys(), values(), items(): live views -- len, `in`, iteration, repr, and == with sets.
d = {'a': 1, 'b': 2, 'c': 3}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
print(len(k), len(v), len(it))
print('a' in k, 'z' in k, 2 in v, 9 in v, ('a', 1) in it, ('a', 2) in it, 'a' in it, ('a',) in it)
d['d'] = 4
del d['a']
print(k, v, it, len(k))
for key in k:
    print('key', key)
for value in v:
    print('value', value)
for key, value in it:
    print('item', key, value)
print(list(k), list(v), list(it), tuple(k))
print(k == {'b', 'c', 'd'}, k == {'b'}, it == {('b', 2), ('c', 3), ('d', 4)}, {'b', 'c', 'd'} == k)
print(k != {'x'}, v == v, v == d.values())
print(sum(v), max(k), min(v), ', '.join(k))
empty = {}
print(empty.keys(), empty.values(), empty.items(), bool(empty.keys()), len(empty.items()))
nested = {1: {2: 3}}
print(nested.items(), nested.values())
selfref = {}
selfref['me'] = selfref.values()
print(selfref)
selfref.clear()  # gilvm has no cycle collector: a cycle left at exit is a leak
