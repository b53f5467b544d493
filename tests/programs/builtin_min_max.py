# Checks min and max of two or more arguments and of iterables (lists, tuples, str, range, generators).
print(min(3, 1, 2), max(3, 1, 2), min(5, 5), max(-1, -2))
print(min(1, 2.5), max(1, 2.5), min(2.0, 2), max(2, 2.0))
print(min([4, 2, 8]), max([4, 2, 8]), min((9, -9)), max((9, -9)))
print(min("hello"), max("hello"), min(["pear", "apple"]), max("b", "abc"))
print(min(range(3, 10)), max(range(3, 10)), max(range(10, 0, -3)))
def gen():
    yield 7
    yield -3
    yield 12
print(min(gen()), max(gen()))
print(max([1.5, -2.5, 0.0]), min([True, False]), max(0, False))
xs = [3, 1, 4, 1, 5, 9, 2, 6]
print(min(xs), max(xs), min(xs[2:5]))
print(max(min(5, 10), min(7, 3)))
print(min(len("abc"), len("ab")))
print(max([-5]), min((42,)))
print(max(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
