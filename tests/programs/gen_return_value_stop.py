def g():
    yield 1
    return 5

def drive():
    value = yield from g()
    yield value * 2

print(list(drive()))
