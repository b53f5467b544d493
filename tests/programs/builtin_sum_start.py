# sum() with a start, positional or as start=.
print(sum([1, 2, 3]), sum([1, 2, 3], 10), sum([1, 2, 3], start=100), sum([], start=5), sum(()))
print(sum([[1], [2, 3]], []), sum([(1,), (2,)], ()), sum([0.1] * 10), sum([1, 2.5]), sum(range(101)))
print(sum([True, True, False]), sum(map(abs, [-1, -2])), sum([1.5, 2.5], start=-4))
