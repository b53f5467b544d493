class Seq:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


class Flag:
    def __init__(self, on):
        self.on = on

    def __bool__(self):
        return self.on


class Empty:
    pass


print(len(Seq(3)), bool(Seq(0)), bool(Seq(2)), bool(Flag(False)), bool(Empty()))
for x in [Seq(0), Seq(1), Flag(True), Flag(False)]:
    if x:
        print("truthy")
    else:
        print("falsy")
print(not Seq(0), Seq(0) or "fallback", Flag(True) and "both")
n = 3
while Seq(n):
    n -= 1
print(n)
