class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)


p = Point(1, 2)
q = p.moved(3, 4)
print(p.x, p.y, q.x, q.y)
p.x = 10
print(p.x, q.x)
