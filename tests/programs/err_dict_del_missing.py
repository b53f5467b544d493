# del of a missing key.
d = {'here': 1}
del d['here']
print(d)
del d['here']
