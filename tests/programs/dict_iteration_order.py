# Iteration follows insertion order through growth, deletes and re-inserts; values may be
# replaced while iterating.
d = {}
for i in range(10):
    d[str(i)] = i
print(list(d))
for i in range(0, 10, 3):
    del d[str(i)]
d['0'] = 'back'
d['new'] = 'last'
print(list(d), list(d.values()))
for key in d:
    d[key] = key + '!'
print(d)
big = {}
for i in range(1000):
    big[i * 7 % 1000] = i
print(len(big), list(big)[:10], list(big)[-10:])
for i in range(0, 1000, 2):
    del big[i]
for i in range(0, 100, 2):
    big[i] = 'again'
keys = list(big)
print(len(big), keys[:5], keys[-5:], big[0], big[1])
mixed = {}
for key in [3, 'three', 3.5, (3,), frozenset({3}), b'3', -3]:
    mixed[key] = str(key)
for key, value in mixed.items():
    print(key, value)
