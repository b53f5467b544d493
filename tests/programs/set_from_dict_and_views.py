# set() and frozenset() of dicts (whose stored hashes CPython reuses), of views, ranges, strs,
# bytes, tuples and generators.
d = {}
for i in range(12):
    d[i * 8] = i
print(set(d), frozenset(d), set(d.keys()), set(d.values()))
print(len(set(d.items())), (8, 1) in set(d.items()))
words = {'x': 1, 'apple': 2, 'y': 3, 'banana': 4}
print(set(words), set(words.keys()), frozenset(words))
print(set(range(10)), set(range(50, 0, -7)), set('hello world'), set(b'bytes'))
print(set((3, 2, 1, 2, 3)), set([]), set(()), frozenset(''))
def squares(n):
    for i in range(n):
        yield i * i % 10
print(set(squares(20)))
print(set({1, 2, 3}), set(frozenset({4, 5})))
