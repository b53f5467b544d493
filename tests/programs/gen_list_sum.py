# Checks list(g), tuple(g), sum(g), min(g) and max(g) consuming generators.
def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
print(list(count(5)), list(count(0)))
print(tuple(count(3)))
print(sum(count(101)), sum(count(0)))
print(min(count(5)), max(count(5)))
def floats():
    yield 0.5
    yield 0.25
    yield 1.5
print(sum(floats()), max(floats()), list(floats()))
def mixed():
    yield "x"
    yield 2
    yield [3]
print(list(mixed()))
g = count(4)
print(next(g), list(g), list(g))
def sq(xs):
    for x in xs:
        yield x * x
print(sum(sq(range(10))), sum(sq([1.5, 2])))
print(len(list(count(1000))))
