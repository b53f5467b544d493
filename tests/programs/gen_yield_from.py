def inner():
    yield 1
    yield 2
    return "inner-result"


def outer():
    r = yield from inner()
    print("got", r)
    yield from [10, 20]
    yield from range(3)
    yield from "ab"
    return "outer"


print(list(outer()))


def delegate_send():
    got = yield from echo()
    yield ("final", got)


def echo():
    total = 0
    while True:
        v = yield total
        if v is None:
            return total
        total += v


d = delegate_send()
print(next(d))
print(d.send(5))
print(d.send(7))
print(next(d))
