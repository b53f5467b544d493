# repr(), callable() and id() (its value is never printed: it is not CPython's).
print(repr(1), repr(1.5), repr("a'b\"c"), repr("x\ny"), repr([1, "a", (2,)]), repr(None), repr(b"\x00a"))
print(repr({"k": [1, 2]}), repr(set()), repr(range(3)), repr(True), repr(-0.0), repr(1e100))
def f():
    pass
print(callable(f), callable(len), callable("x".join), callable(1), callable("x"), callable(None), callable([].append))
a = [1]
b = [1]
print(id(a) == id(a), id(a) == id(b), id(f) == id(f))
x = "text"
print(id(x) == id(x), id(None) == id(None), id(len) == id(len))
