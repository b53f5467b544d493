class A:
    def __radd__(self, o):
        return NotImplemented
1 + A()
