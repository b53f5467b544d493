class Adder:
    def __init__(self, n):
        self.n = n

    def __call__(self, x, y=0):
        return self.n + x + y


add5 = Adder(5)
print(add5(1), add5(1, 2), add5(x=3, y=4))
fs = [Adder(1), Adder(2)]
print(fs[1](10), fs[0](0, 1))
