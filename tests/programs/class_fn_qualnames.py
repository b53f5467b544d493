# __name__ and __qualname__ of functions, nested functions, methods, lambdas and comprehension
# results, as decorators read them.
def outer():
    def inner():
        return 1
    return inner


class Shelf:
    def put(self, item):
        def check():
            return item
        return check

    @staticmethod
    def make():
        return lambda: 0


def named(fn):
    print("decorating", fn.__name__, fn.__qualname__)
    return fn


@named
def top():
    pass


class Box:
    @named
    def open(self):
        pass


print(outer.__name__, outer().__qualname__)
print(Shelf.put.__qualname__, Shelf().put.__name__, Shelf().put.__qualname__)
print(Shelf().put(1).__qualname__, Shelf.make().__qualname__)
print([f.__qualname__ for f in [lambda: 1, outer]])
