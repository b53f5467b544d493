# update() with items that cannot be pairs at all.
d = {}
d.update([('a', 1)])
d.update([('b', 2), 3])
