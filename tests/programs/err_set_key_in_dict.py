# A set as a dict key.
d = {frozenset(): 1}
print(d)
d[set()] = 2
