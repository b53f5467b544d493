# super().name(...) compiles to one instruction that skips the super object when `super` is the
# built-in; every other form must behave as a real super() call followed by the attribute.
class A:
    def f(self, x):
        return ("A.f", x)

    @classmethod
    def c(cls):
        return ("A.c", cls.__name__)

    @staticmethod
    def s(v):
        return ("A.s", v)

    @property
    def p(self):
        return "A.p"

    def __repr__(self):
        return "A()"


class B(A):
    def f(self, x):
        return super().f(x + 1)

    @classmethod
    def c(cls):
        return super().c()

    def s2(self):
        return super().s(3)

    def g(self):
        return super().p

    def shadowed(self):
        super = lambda: A()  # a local named super: a plain call, not the built-in
        return super().f(5)

    def missing(self):
        return super().nothing()

    def rep(self):
        return super().__repr__()

    def keywords(self):
        return super().f(x=9)


class C(B):
    def f(self, x):
        return ("C", super().f(x * 10))


b = B()
print(b.f(1), B.c(), b.s2(), b.g(), b.shadowed(), b.rep(), b.keywords())
print(C().f(2), C.c())
try:
    b.missing()
except AttributeError as e:
    print("caught", e)


def outside():
    return super().f(1)


try:
    outside()
except RuntimeError as e:
    print("caught", e)


class Holder:
    def method(self):
        def inner():
            return super().f(1)

        return inner


try:
    Holder().method()()
except RuntimeError as e:
    print("caught", e)
