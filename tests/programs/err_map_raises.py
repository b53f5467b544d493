# An error in map's function surfaces when the item is taken.
def bad(x):
    return x + "a"
m = map(bad, ["x", 1])
print(next(m))
print(next(m))
