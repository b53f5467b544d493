class R:
    def __init__(self, v):
        self.v = v

    def __radd__(self, o):
        return R(o + self.v)

    def __rmul__(self, o):
        return R(o * self.v)

    def __rsub__(self, o):
        return R(o - self.v)

    def __repr__(self):
        return "R" + str(self.v)


print(1 + R(2), 3 * R(4), 10 - R(3)))
