# close() raises GeneratorExit at the yield: finally clauses and with exits run, a handler may
# catch it and return, and a generator that yields again is a RuntimeError.
class Resource:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("open", self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        print("close", self.name, exc_type.__name__ if exc_type else None)
        return False


def reader(name):
    with Resource(name):
        try:
            for i in range(10):
                yield i
        finally:
            print("finally in", name)


g = reader("a")
print(next(g), next(g))
g.close()
g.close()
print(list(g))


def catcher():
    try:
        yield 1
    except GeneratorExit:
        print("caught GeneratorExit")
        return
    print("not reached")


c = catcher()
next(c)
c.close()


def outer():
    try:
        yield from reader("inner")
    finally:
        print("outer finally")


o = outer()
print(next(o))
o.close()

fresh = reader("never started")
fresh.close()
print("fresh closed", list(fresh))


def stubborn():
    try:
        yield 1
    except GeneratorExit:
        print("ignoring")
    yield 2


s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError:", e)


def raiser():
    try:
        yield 1
    finally:
        raise ValueError("from finally")


r = raiser()
next(r)
try:
    r.close()
except ValueError as e:
    print("ValueError:", e, type(e.__context__).__name__)
