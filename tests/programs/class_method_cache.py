# The per-call-site method cache of `obj.m()` must follow every change that alters what the call
# finds: the method replaced or deleted on the class or a base, an instance attribute shadowing
# it, a subclass gaining an override, and receivers of different classes at one site.


class Base:
    def greet(self):
        return "base greet"

    def other(self):
        return "base other"


class Child(Base):
    pass


class Leaf(Child):
    def greet(self):
        return "leaf greet"


def call_greet(obj):
    return obj.greet()


def call_other(obj):
    return obj.other()


b = Base()
c = Child()
leaf = Leaf()

# Warm the sites, then mix receivers of three classes at one site.
for _ in range(3):
    print(call_greet(b), call_greet(c), call_greet(leaf))

# Replace the method on the class after calls were cached.
def new_greet(self):
    return "replaced greet"


Base.greet = new_greet
print(call_greet(b), call_greet(c), call_greet(leaf))

# An instance attribute shadows the method (a callable and a non-callable).
c.greet = lambda: "instance lambda"
print(call_greet(c), call_greet(Child()))
del c.greet
print(call_greet(c))
b.other = 42
try:
    call_other(b)
except TypeError as e:
    print("TypeError:", e)
del b.other
print(call_other(b))

# A name given to instances after the site cached "no such instance attribute".
fresh = Child()
print(call_other(fresh))
fresh.other = lambda: "shadow on a fresh name"
print(call_other(fresh), call_other(Child()))

# A subclass gains an override after the site cached the base's method.
print(call_other(c))


def child_other(self):
    return "child other"


Child.other = child_other
print(call_other(c), call_other(b), call_other(leaf))

# The override deleted again: the base's method shows through.
del Child.other
print(call_other(c), call_other(leaf))

# A method deleted from the class: an AttributeError at the cached site.
del Base.other
try:
    call_other(b)
except AttributeError as e:
    print("AttributeError:", e)


# The method replaced by a non-function class attribute, then by a staticmethod.
class Box:
    def get(self):
        return "get"


def call_get(obj):
    return obj.get()


box = Box()
print(call_get(box))
Box.get = staticmethod(lambda: "static get")
print(call_get(box))
Box.get = 7
try:
    call_get(box)
except TypeError as e:
    print("TypeError:", e)


def get_again(self):
    return "get again"


Box.get = get_again
print(call_get(box))


# Many classes through one site, with methods defined at different depths.
class A:
    def who(self):
        return "A"


class B(A):
    pass


class C(B):
    def who(self):
        return "C:" + super().who()


class D(C):
    pass


objs = [A(), B(), C(), D()]
for round_ in range(2):
    print([o.who() for o in objs])
    A.who = lambda self: "A2"
