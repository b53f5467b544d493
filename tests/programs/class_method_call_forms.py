class M:
    def __init__(self, k):
        self.k = k

    def f(self, a, b=10):
        return self.k + a + b


m = M(1)
print(m.f(1), m.f(1, 2), m.f(a=3), m.f(1, b=4), M.f(m, 2, 2))
