# Calls made from a generator's frame -- a function, a method, a class with __init__, a
# generator expression calling a function -- with callees whose frames are larger than the
# generator's own (many locals): the callee's frame must not be laid over the generator's slots.
def big(x):
    a = b = c = d = e = f = g = h = i = j = k = l = m = n = o = p = x
    q = a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p
    return q


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.s = big(x) + big(y)

    def norm1(self):
        return abs(self.x) + abs(self.y) + big(self.s)


def gen(n):
    for i in range(n):
        yield big(i)
        p = Point(i, -i)
        yield p.norm1()
        yield p.s


print(list(gen(4)))
print(sum(big(c) for c in [3, 4, 5]))
print([Point(i, i).s for i in range(3)])
print(max(Point(i, 2 * i).norm1() for i in range(5)))


def deep(n):
    if n == 0:
        return big(1)
    return sum(deep(n - 1) for _ in range(2))


print(deep(5))
