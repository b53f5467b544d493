class V:
    def __init__(self, x):
        self.x = x

    def __repr__(self):
        return "V(" + str(self.x) + ")"


class W(V):
    def __str__(self):
        return "w" + str(self.x)


v = V(1)
w = W(2)
print(v, w)
print(str(v), str(w), f"{v} {w}")
print([v, w], (v,), {"k": w})
print("%s %s" % (v, w))
