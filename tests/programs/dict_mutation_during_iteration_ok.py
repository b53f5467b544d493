# What may change while a dict is iterated: values (same size), and anything once the loop has
# stopped with break; iterating a copy or a list of the keys allows any change.
d = {'a': 1, 'b': 2, 'c': 3}
for key in d:
    d[key] = d[key] * 100
print(d)
for key in list(d):
    if key != 'b':
        del d[key]
print(d)
for key in d.copy():
    d[key + key] = 0
print(d)
for key in d:
    d['late'] = 1
    break
print(d)
keys = d.keys()
for key in list(keys):
    d.pop(key)
print(d, keys, len(keys))
