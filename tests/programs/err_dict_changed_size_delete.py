# Deleting while iterating over a view.
d = {1: 'a', 2: 'b', 3: 'c'}
for k, v in d.items():
    print(k, v)
    del d[k]
