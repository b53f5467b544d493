class Base:
    def __init__(self):
        self.setup()

    def setup(self):
        self.kind = "base"


class Child(Base):
    def setup(self):
        self.kind = "child"


print(Base().kind, Child().kind)
