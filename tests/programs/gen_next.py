# Checks next() on generators: lazy start, state kept between calls, interleaving two generators.
log = []
def counter(start, stop):
    log.append("started")
    n = start
    while n < stop:
        yield n
        n += 1
    log.append("finished")
g = counter(3, 6)
print(log)
print(next(g))
print(log)
print(next(g), next(g))
a = counter(0, 10)
b = counter(100, 110)
print(next(a), next(b), next(a), next(b), next(a))
def fib():
    x, y = 0, 1
    while True:
        yield x
        x, y = y, x + y
f = fib()
out = []
for i in range(15):
    out.append(next(f))
print(out)
def letters():
    yield "a"
    yield "b"
    yield "c"
L = letters()
print(next(L) + next(L) + next(L))
