class L:
    def __init__(self, v):
        self.v = v

    def __gt__(self, other):
        print("L.__gt__")
        return self.v > other


print(L(5) > 3)
print(3 < L(5))
print(10 < L(5))
