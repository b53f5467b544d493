class N:
    def __init__(self, v):
        self.v = v

    def __lt__(self, o):
        return self.v < o.v

    def __le__(self, o):
        return self.v <= o.v


a, b = N(1), N(2)
print(a < b, b < a, a <= b, a <= a)
print(b > a, a > b, b >= a, a >= b)
print(min(b, a).v, max(a, b).v)
