class Shape:
    pass


class Square(Shape):
    pass


s = Square()
print(type(s).__name__, Square.__name__, type(s) is Square, type(s) == Shape)
print(type(s), Square, Shape)
print(type(3).__name__, type("x").__name__, type([]).__name__, type(None).__name__)
print(s.__class__.__name__, Square.__base__.__name__)
