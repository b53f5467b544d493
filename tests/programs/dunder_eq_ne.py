class P:
    def __init__(self, x):
        self.x = x

    def __eq__(self, other):
        if not isinstance(other, P):
            return NotImplemented
        return self.x == other.x


a, b, c = P(1), P(1), P(2)
print(a == b, a == c, a != b, a != c, a == 1, 1 == a, a != "x")
print(a in [c, b], [a] == [b], (a, 1) == (b, 1))
print(P(3) in [P(1), P(3)])
