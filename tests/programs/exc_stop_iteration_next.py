class Counter:
    def __init__(self, n):
        self.n = n
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i * 10

print(list(Counter(3)))
for x in Counter(2):
    print(x)
print(sum(Counter(4)), next(Counter(1)))
