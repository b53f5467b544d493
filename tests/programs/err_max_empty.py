# max() of an empty iterable without a default.
print(max([1], default=0))
print(max([]))
