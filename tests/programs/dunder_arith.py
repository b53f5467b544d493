class M:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return M(self.v + (o.v if isinstance(o, M) else o))

    def __sub__(self, o):
        return M(self.v - o.v)

    def __mul__(self, k):
        return M(self.v * k)

    def __truediv__(self, k):
        return M(self.v / k)

    def __floordiv__(self, k):
        return M(self.v // k)

    def __mod__(self, k):
        return M(self.v % k)

    def __neg__(self):
        return M(-self.v)

    def __repr__(self):
        return "M(" + str(self.v) + ")"


a, b = M(7), M(2)
print(a + b, a - b, a * 3, a / 2, a // 2, a % 4, -a, a + 1)
