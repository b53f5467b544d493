# | needs two sets; set.union() takes any iterable.
s = {1, 2}
print(s.union([3]))
print(s | [3])
