# dict() from items that are not pairs.
print(dict([(1, 2)]))
dict([(1, 2), (3, 4, 5)])
