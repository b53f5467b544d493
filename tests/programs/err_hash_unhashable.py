# hash() of a dict.
print(hash((1, 2)) == hash((1, 2)))
print(hash({}))
