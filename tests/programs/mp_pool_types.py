# Values of every serializable kind cross to workers and back unchanged.
from multiprocessing import Pool


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


def echo(v):
    return v


def describe(p):
    return (type(p).__name__, p.x, p.y, p.norm1())


if __name__ == "__main__":
    values = [None, True, False, 0, -7, 2**62, 1.5, -0.0, float("inf"), "text", "h\u00e9",
              b"\x00\xff", (1, (2, [3])), [1, [2]], {"k": [1, 2], 3: None}, {1, 2, 3},
              frozenset({"a"}), range(2, 9, 3), ()]
    with Pool(2) as pool:
        back = pool.map(echo, values)
        for a, b in zip(values, back):
            print(repr(b), a == b, type(a) is type(b))
        print(pool.map(describe, [Point(1, -2), Point(3, 4)]))
        p = pool.apply(Point, (5, 6))
        print(type(p).__name__, p.x, p.y)
