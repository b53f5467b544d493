class A:
    def __add__(self, o):
        if isinstance(o, A):
            return "A+A"
        return NotImplemented


class B:
    def __radd__(self, o):
        return "radd from B"


print(A() + A(), A() + B())
print(NotImplemented)
