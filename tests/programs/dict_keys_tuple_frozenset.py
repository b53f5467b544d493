# Hashable keys of every kind: tuples (nested), frozensets, floats (0.0 and -0.0 are one key),
# bytes, big ints near the hash modulus, and keys that hash alike but differ.
d = {}
d[(1, 2)] = 'tuple'
d[((1, 2), (3, (4, 5)))] = 'nested tuple'
d[frozenset({1, 2})] = 'frozenset'
d[frozenset({2, 1})] = 'same frozenset'
d[0.0] = 'zero'
d[-0.0] = 'negative zero'
d[b'bytes'] = 'bytes'
d['bytes'] = 'str'
d[2**61 - 1] = 'modulus'
d[0] = 'int zero'
d[2**61] = 'modulus + 1'
d[1] = 'one'
d[-1] = 'minus one'
d[-2] = 'minus two'
print(d)
print(len(d), d[(1, 2)], d[frozenset([1, 2])], d[0], d[1], d[-1], d[-2], d[b'bytes'])
print(hash(-1) == hash(-2), -1 in d, -2 in d)
print(d[(1, 2)], d[tuple([1, 2])], (1, 2) in d, (2, 1) in d)
print(frozenset() in d, frozenset({1, 2}) in d)
floats = {1.5: 'a', 0.1: 'b', 1e300: 'c', float('inf'): 'd', float('-inf'): 'e'}
print(floats, floats[0.1], floats[float('inf')])
