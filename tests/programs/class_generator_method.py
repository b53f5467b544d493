class Range2:
    def __init__(self, n):
        self.n = n

    def evens(self):
        i = 0
        while i < self.n:
            yield i
            i += 2


r = Range2(9)
print(list(r.evens()), sum(r.evens()))
for x in r.evens():
    print(x)
