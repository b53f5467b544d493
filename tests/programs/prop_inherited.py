class Base:
    def __init__(self, v):
        self._v = v

    @property
    def v(self):
        return self._v


class Child(Base):
    @property
    def doubled(self):
        return self.v * 2


c = Child(21)
print(c.v, c.doubled)
