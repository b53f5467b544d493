# Class calls whose __init__ is a Python function or BaseException's, and super().name(...) method
# calls, on the paths that skip the bound method object: rebinding __init__ while it runs,
# super() reaching a function, a built-in method, a staticmethod, a classmethod and a property.


class Base:
    def __init__(self, x):
        self.x = x

    def describe(self, tag):
        return "%s:%s" % (tag, self.x)

    @staticmethod
    def helper(a):
        return a * 2

    @classmethod
    def kind(cls):
        return cls.__name__

    @property
    def doubled(self):
        return self.x * 2


class Child(Base):
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y

    def describe(self, tag):
        return "child " + super().describe(tag)

    def uses(self):
        return (super().helper(5), super().kind(), super().doubled)


c = Child(3, 4)
print(c.x, c.y, c.describe("t"), c.uses())


class Rebinder:
    def __init__(self, n):
        # Replaces the class's __init__ while the old one runs: the old one must stay alive.
        Rebinder.__init__ = lambda self, n: None
        self.n = n


r = Rebinder(1)
print(r.n, hasattr(Rebinder(2), "n"))


class Plain(Exception):
    pass


class WithInit(Exception):
    def __init__(self, a, b):
        super().__init__(a, b)
        self.total = a + b


class NoSuper(Exception):
    def __init__(self, a):
        self.a = a


p = Plain(1, 2)
print(p.args, str(p))
w = WithInit(2, 5)
print(w.args, w.total, str(w))
n = NoSuper(7)
print(n.args, n.a)
for cls, args in ((Plain, ("x",)), (WithInit, (1, 2)), (NoSuper, (3,))):
    try:
        raise cls(*args)
    except Exception as e:
        print(type(e).__name__, e.args)


class ReturnsSomething:
    def __init__(self):
        return 5


try:
    ReturnsSomething()
except TypeError as e:
    print(e)


class KwInit(Exception):
    def __init__(self, a, b=0):
        super().__init__(a)
        self.b = b


k = KwInit(1, b=2)
print(k.args, k.b)

# e.args after __init__ again: a tuple someone else holds keeps its items.
e = WithInit(1, 2)
held = e.args
Exception.__init__(e, 3, 4)
print(held, e.args)
Exception.__init__(e, *e.args)
print(e.args)
Exception.__init__(e, e.args, 5)
print(e.args)
e.__init__(8, 9)
print(e.args, e.total)
