# A dict as an iterable of its keys: list(), tuple(), sum(), min(), max(), str.join, unpacking,
# for loops, truth.
d = {3: 'c', 1: 'a', 2: 'b'}
print(list(d), tuple(d), sum(d), min(d), max(d), len(d))
names = {'x': 1, 'y': 2, 'z': 3}
print('-'.join(names), ''.join(names.keys()))
a, b, c = names
print(a, b, c)
first, second = {'one': 1, 'two': 2}.items()
print(first, second)
total = 0
for key in d:
    total += key * 10
print(total)
print(bool({}), bool({0: 0}), not {}, {} or 'empty', {1: 1} and 'full')
pairs = list(d.items())
print(pairs, len(d.values()), list(d)[0], list(d)[-1])
print(max(names.values()), min(names))
