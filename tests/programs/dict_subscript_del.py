# d[k], d[k] = v, del d[k], `in`/`not in`, len and truth: an overwritten key keeps its place and
# its first spelling; a deleted key that comes back goes to the end.
d = {}
print(bool(d), len(d), 'a' in d, 'a' not in d)
d['a'] = 1
d['b'] = 2
d['c'] = 3
print(d, bool(d), len(d), 'a' in d, 'z' not in d)
d['a'] = 10
print(d)
del d['a']
print(d, 'a' in d)
d['a'] = 100
print(d)
d[1] = 'int one'
d[1.0] = 'float one'
d[True] = 'bool one'
print(d)
del d[1.0]
print(d)
d[2] = 'two'
del d[2]
d[2] = 'two again'
print(d)
counts = {}
for word in 'the cat and the hat and the bat'.split():
    if word in counts:
        counts[word] = counts[word] + 1
    else:
        counts[word] = 1
print(counts)
for key in ['the', 'and', 'cat']:
    del counts[key]
print(counts, len(counts))
t = {(1, 2): 'pair'}
t[1, 2] = 'same pair'
print(t, (1, 2) in t, [1, 2] == list((1, 2)))
x = {}
x[x is None] = 'false key'
print(x)
grid = {}
for i in range(3):
    for j in range(3):
        grid[i, j] = i * j
print(grid[2, 2], grid[(1, 2)], len(grid))
del grid[0, 0], grid[1, 1]
print(len(grid), (0, 0) in grid, (2, 2) in grid)
