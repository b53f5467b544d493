class Tool:
    made = 0

    def __init__(self, name):
        self.name = name
        Tool.made += 1

    @staticmethod
    def version():
        return "1.0"

    @staticmethod
    def add(a, b):
        return a + b

    @classmethod
    def create(cls, name):
        return cls(name + "!")

    @classmethod
    def count(cls):
        return cls.made


class Sub(Tool):
    pass


t = Tool.create("hammer")
s = Sub.create("saw")
print(t.name, s.name, type(s).__name__, Tool.count(), s.count())
print(Tool.version(), t.version(), Tool.add(2, 3), s.add(4, 5))
