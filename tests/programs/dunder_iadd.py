class Acc:
    def __init__(self):
        self.total = 0

    def __iadd__(self, v):
        self.total += v
        return self


class Val:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return Val(self.v + o)


a = Acc()
same = a
a += 5
a += 6
print(a.total, a is same)
v = Val(1)
w = v
v += 2
print(v.v, w.v, v is w)
