class Acc:
    def __init__(self):
        self.items = []

    def add(self, x):
        self.items.append(x)
        return len(self.items)


a = Acc()
add = a.add
print(add(1), add(2), add(3))
print(a.items)
f = Acc.add
print(f(a, 4), a.items)
ms = [Acc().add, Acc().add]
print(ms[0](9), ms[1](8))
print(type(add).__name__)
