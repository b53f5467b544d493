# remove() of a missing item: KeyError with its repr.
s = {1, 2, 3}
s.remove(2)
print(s)
s.remove(2)
