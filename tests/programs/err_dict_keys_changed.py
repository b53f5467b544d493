# Deleting a key and adding another keeps the size, but the iterator finds more keys than it
# started with: CPython notices when it meets the last one.
d = {'a': 1, 'b': 2}
for key in d:
    print(key)
    del d[key]
    d[key * 2] = 0
