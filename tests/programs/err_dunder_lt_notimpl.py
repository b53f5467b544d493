class A:
    def __lt__(self, o):
        return NotImplemented
A() < 3
