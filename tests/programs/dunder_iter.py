class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        i = self.n
        while i > 0:
            yield i
            i -= 1


c = Countdown(4)
for x in c:
    print(x)
print(list(c), sum(c), 2 in c, 7 in c)
a, b, d, e = c
print(a, e)
