# A class call whose __init__ is a plain function runs it in a frame pushed in place (no nested
# run of the loop): the instance is the result, errors unwind through it, and the forms that
# cannot go that way (defaults, keywords, cells, a rebound __init__) still work.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Err(Exception):
    def __init__(self, code, why):
        super().__init__(code, why)
        self.code = code


class Loud(Exception):
    def __init__(self, code):
        self.code = code  # no super().__init__: args stay the call's


class Fails:
    def __init__(self, n):
        if n > 2:
            raise ValueError("too big: %d" % n)
        self.n = n


class Rebinds:
    def __init__(self):
        Rebinds.__init__ = Rebinds.later
        self.first = True

    def later(self):
        self.first = False


class WithDefault:
    def __init__(self, a, b=10):
        self.total = a + b


class Nested:
    def __init__(self, depth):
        self.child = Nested(depth - 1) if depth > 0 else None
        self.depth = depth


class Captures:
    def __init__(self, v):
        self.get = lambda: v


pts = [Point(i, i * i) for i in range(5)]
print([(p.x, p.y) for p in pts])
e = Err(7, "bad")
print(e.args, e.code, str(e), repr(e))
print(Loud(3).args, Loud(3).code)
for n in range(5):
    try:
        print("made", Fails(n).n)
    except ValueError as err:
        print("caught", err)
a = Rebinds()
b = Rebinds()
print(a.first, b.first)
print(WithDefault(1).total, WithDefault(1, 2).total, WithDefault(a=5, b=6).total)
chain = Nested(30)
d = 0
while chain is not None:
    d += chain.depth
    chain = chain.child
print("depths", d)
print(Captures(42).get())
try:
    Point(1)
except TypeError as err:
    print(err)
try:
    Point(1, 2, 3)
except TypeError as err:
    print(err)


def make_many():
    out = []
    for i in range(1000):
        try:
            raise Err(i, "x")
        except Err as err:
            out.append(err.code)
    return sum(out)


print(make_many())
