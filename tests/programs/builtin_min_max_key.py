# min() and max() with key= and default=; the first of equal extremes wins.
def second(p):
    return p[1]
pairs = [("a", 3), ("b", 1), ("c", 3), ("d", 1)]
print(max(pairs, key=second), min(pairs, key=second))
print(max("apple", "fig", "banana", key=len), min("apple", "fig", "kiw", key=len))
print(max([], default=None), min((), default="empty"), max([5], default=0), min([2, 1], default=9))
print(max([1, 2], key=None), min([1, 2], key=None))
def neg(x):
    print("key", x)
    return -x
print(max([3, 1, 2], key=neg))
print(min([1, 1.0, True]), max([1, 1.0, True]), max(1.0, 1), min(True, 1))
print(max("abc", "abd", "ab"), min([[1, 2], [1], [0, 5]]))
