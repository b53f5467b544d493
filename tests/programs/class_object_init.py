# object.__init__: super().__init__() in a class whose base is object, its errors, and a class
# that inherits it taking no arguments.
class A:
    def __init__(self):
        super().__init__()
        self.x = 1
class B:
    pass
class C(A):
    def __init__(self, v):
        super().__init__()
        self.v = v
print(A().x, C(3).v, C(4).x)
try:
    B(1)
except TypeError as e:
    print(e)
class D:
    def __init__(self, a):
        super().__init__(a)
try:
    D(1)
except TypeError as e:
    print(e)
try:
    object.__init__()
except TypeError as e:
    print(e)
object.__init__(B())
print(hasattr(B(), "__init__"), B.__init__ is object.__init__)
class E:
    def __init__(self, **kw):
        super().__init__(**kw)
E()
try:
    E(a=1)
except TypeError as e:
    print(e)
