# == and != between dicts: same keys with equal values, in any order; values compare with ==
# (1 == 1.0), nested dicts compare recursively; a dict never equals another type.
a = {'x': 1, 'y': [1, 2], 'z': {'n': None}}
b = {'z': {'n': None}, 'y': [1, 2], 'x': 1.0}
print(a == b, a != b, b == a)
print({} == {}, {} == [], {} == set(), {1: 2} == {1: 3}, {1: 2} == {2: 1}, {1: 2} != {1: 2})
print({1: 2} == {1: 2, 3: 4}, {True: 'a'} == {1: 'a'}, {1.0: 'a'} == {1: 'a'})
loop1 = {}
loop1['me'] = loop1
print(loop1 == loop1)
del loop1['me']  # gilvm has no cycle collector: a cycle left at exit is a leak
print({'k': float('nan')} == {'k': float('nan')})
print({(1, 2): frozenset({3})} == {(1, 2): frozenset({3})})
print({1: 'a'}.items() == {1: 'a'}.items(), {1: 'a'}.keys() == {1: 'b'}.keys())
