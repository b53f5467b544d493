# dict(): empty, from pairs (lists, tuples, two-character strs), from another dict, from
# keyword arguments, and both; later pairs overwrite earlier ones.
print(dict())
print(dict([('a', 1), ('b', 2)]))
print(dict([[1, 'one'], (2, 'two')]))
print(dict(['ab', 'cd', 'ef']))
print(dict((('x', 1), ('x', 2), ('y', 3))))
src = {'k': 'v', 'n': 1}
copy = dict(src)
copy['k'] = 'changed'
print(src, copy, src == dict(src))
print(dict(a=1, b=2, c=3))
print(dict([('a', 0)], a=1, z=26))
print(dict({1: 2}, three=3))
print(dict(range(0)))
keys = ['one', 'two', 'three']
values = [1, 2, 3]
pairs = []
for i in range(len(keys)):
    pairs.append((keys[i], values[i]))
print(dict(pairs))
def gen():
    for i in range(4):
        yield (i, i * i)
print(dict(gen()))
print(dict(src.items()), dict(src.keys() and [(0, 0)]))
nested = dict(outer=dict(inner=dict()))
print(nested)
