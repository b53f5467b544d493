# Methods that make closures over self and their parameters, comprehensions in methods and in
# class bodies, and methods with keyword-only, *args and **kwargs parameters.
class Account:
    rate = 3
    squares = [i * i for i in range(4)]
    scaled = [rate * 2 for _ in range(2)] if False else None

    def __init__(self, owner, *entries, limit=100, **tags):
        self.owner = owner
        self.entries = list(entries)
        self.limit = limit
        self.tags = tags

    def adder(self):
        def add(x):
            self.entries.append(x)
            return len(self.entries)
        return add

    def total(self):
        return sum(e for e in self.entries if e < self.limit)

    def describe(self, *, upper=False):
        name = self.owner.upper() if upper else self.owner
        return f"{name}: {sorted(self.tags.items())}"

    def counters(self):
        return [lambda k=k: k * self.rate for k in range(3)]


a = Account("ann", 5, 200, 7, limit=50, kind="savings", region="eu")
add = a.adder()
print(add(9), add(11))
print(a.entries, a.total())
print(a.describe(), a.describe(upper=True))
print([f() for f in a.counters()])
print(Account.squares, Account.scaled)


class Base:
    def __init__(self, n):
        self.n = n

    def show(self):
        return "Base(%d)" % self.n


class Child(Base):
    def __init__(self, n):
        helper = lambda: self.n
        super().__init__(n + 1)
        self.seen = helper()

    def show(self):
        base = super().show()
        parts = [base for _ in range(2)]
        return " / ".join(parts) + " seen=%d" % self.seen


print(Child(4).show())


def decorate(fn):
    def wrapper(*args, **kwargs):
        return "<" + str(fn(*args, **kwargs)) + ">"
    return wrapper


class Shape:
    def __init__(self, sides):
        self.sides = sides

    @decorate
    def describe(self, prefix="shape"):
        return "%s with %d sides" % (prefix, self.sides)

    def gen(self):
        got = yield self.sides
        while got is not None:
            got = yield got * self.sides


s = Shape(3)
print(s.describe(), s.describe(prefix="triangle"))
g = s.gen()
print(next(g), g.send(2), g.send(5))
g.close()
