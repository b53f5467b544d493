# get() needs a key.
d = {}
print(d.get('k', 0))
d.get()
