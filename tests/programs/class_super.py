class Base:
    def __init__(self, a):
        self.a = a
        print("Base.__init__", a)

    def describe(self):
        return "base(" + str(self.a) + ")"


class Mid(Base):
    def __init__(self, a, b):
        super().__init__(a)
        self.b = b

    def describe(self):
        return "mid[" + super().describe() + "]"


class Leaf(Mid):
    def __init__(self):
        super().__init__(1, 2)

    def describe(self):
        return "leaf{" + super().describe() + "}"


x = Leaf()
print(x.a, x.b, x.describe())
print(super(Leaf, x).describe())
