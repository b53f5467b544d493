# expect: SyntaxError: __slots__ is not supported
# gilvm's instances take any attribute, so a __slots__ CPython would enforce is refused.
print("never printed: the whole file is rejected at compile time")


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


Point(1, 2).z = 3
