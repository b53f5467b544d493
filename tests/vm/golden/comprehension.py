# Comprehensions are functions of their own, called with an iterator over the first iterable:
# a list comprehension with two clauses and a condition (LIST_APPEND under both iterators), a dict
# comprehension closing over a local (MAP_ADD, a cell), and a generator expression (YIELD_VALUE)
# summed; then a generator that delegates with `yield from`.
def table(n):
    pairs = [(i, j) for i in range(n) for j in range(i) if (i + j) % 2]
    scaled = {k: k * n for k in range(n)}
    return pairs, scaled, sum(x * x for x in range(n))


def chain(a, b):
    yield from a
    got = yield from b
    return got


print(table(4), list(chain([1], (2, 3))))
