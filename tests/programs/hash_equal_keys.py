# Values that compare equal hash equal, so they are one dict key / set item: 1, 1.0 and True;
# 0, 0.0, -0.0 and False; and which spelling survives is the first one inserted.
print({1: 'a', 1.0: 'b', True: 'c'}, {True: 'c', 1: 'a'}, {1.0: 'x', 1: 'y'})
print({0, 0.0, -0.0, False}, {False, 0}, {0.0, False})
s = set()
s.add(2.0)
s.add(2)
print(s, 2 in s, 2.0 in s)
d = {}
d[3] = 'int'
d[3.0] = 'float'
print(d, d[3.0], d[3])
print(hash(1) == hash(1.0) == hash(True), hash(0) == hash(-0.0) == hash(False))
print({(1, 2): 'a', (1.0, 2.0): 'b'}, {frozenset({1}): 'a', frozenset({1.0}): 'b'})
print(len({'1', 1, b'1'}), {1, '1'} == {'1', 1})
