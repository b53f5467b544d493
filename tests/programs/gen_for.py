# Checks for loops over generators, including break mid-way and resuming the same generator.
def squares(n):
    for i in range(n):
        yield i * i
for s in squares(5):
    print(s)
g = squares(10)
for s in g:
    if s > 10:
        break
    print("first loop", s)
for s in g:
    print("second loop", s)
def evens(xs):
    for x in xs:
        if x % 2 == 0:
            yield x
print(list(evens([1, 2, 3, 4, 6, 7])))
for e in evens(squares(7)):
    print("even square", e)
def words(text):
    for w in text.split():
        yield w
n = 0
for w in words("a bb ccc"):
    n += len(w)
print(n)
def none_yield():
    yield None
    yield 0
for v in none_yield():
    print(v)
