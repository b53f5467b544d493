# Dict displays and their repr/str, as CPython prints them: insertion order, nested containers,
# str keys quoted, a dict that contains itself printed as {...}, and equal keys of different
# types (1, 1.0, True) collapsing into the first one's spelling with the last value.
empty = {}
print(empty, len(empty), str(empty))
d = {1: 'a', 'two': 2, (3, 4): [5, 6], None: None, 2.5: True, b'k': b'v'}
print(d)
print(len(d), d[1], d['two'], d[(3, 4)], d[None], d[2.5], d[b'k'])
print({'quote': "it's", 'dq': 'say "hi"', 'nl': 'a\nb', 'tab': '\t'})
print({1: 'a', 1.0: 'b', True: 'c'})
print({True: 'x', 1: 'y'}, {0: 'z', False: 'w', 0.0: 'v'})
print({'a': 1, 'a': 2, 'b': 3, 'a': 4})
nested = {'outer': {'inner': {'deep': [1, {2: 3}]}}, 'list': [{}, {1: 2}]}
print(nested)
print(nested['outer']['inner']['deep'][1][2])
loop = {'name': 'loop'}
loop['self'] = loop
print(loop)
holder = [loop, {'x': loop}]
print(holder)
del loop['self']  # gilvm has no cycle collector: a cycle left at exit is a leak
print({-1: -1, -2: -2, 0: 0, 2**62: 'big', -9223372036854775807 - 1: 'min'})
print({'é': 1, '€': 2, '😀': 3})
print(str({1: 2}) == '%r' % ({1: 2},) == '{1: 2}')
print({(): (), (1,): (1,), ((1, 2), 3): 'nested'})
print({frozenset(): 0, frozenset({1, 2}): 1})
print({1: {}, 2: set(), 3: frozenset(), 4: (), 5: []})
