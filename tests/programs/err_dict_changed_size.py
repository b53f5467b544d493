# Adding a key while iterating: the next step raises.
d = {'a': 1, 'b': 2}
for key in d:
    print(key)
    d[key + '!'] = 0
