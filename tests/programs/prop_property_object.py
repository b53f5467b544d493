def get_x(self):
    return self._x


def set_x(self, v):
    self._x = v * 10


class P:
    x = property(get_x, set_x)

    def __init__(self):
        self._x = 1


p = P()
print(p.x)
p.x = 4
print(p.x, p._x)
