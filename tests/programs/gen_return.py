# Checks return inside generators (ends iteration early) and generators with several yield points.
def upto(limit):
    n = 0
    while True:
        if n >= limit:
            return
        yield n
        n += 1
print(list(upto(4)))
def first_match(xs, target):
    for i in range(len(xs)):
        if xs[i] == target:
            yield i
            return
    yield -1
print(list(first_match([5, 7, 9, 7], 7)), list(first_match([1], 3)))
def phases():
    yield "setup"
    x = 10
    yield x
    x = x * 2
    yield x
    if x > 15:
        return
    yield "unreachable"
print(list(phases()))
def gen_with_args(a, b=2, c=3):
    yield a
    yield b
    yield c
print(list(gen_with_args(1)), list(gen_with_args(1, c=9)))
