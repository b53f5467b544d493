class Circle:
    def __init__(self, r):
        self.r = r

    @property
    def area(self):
        return 3 * self.r * self.r

    @property
    def diameter(self):
        return 2 * self.r

    @diameter.setter
    def diameter(self, d):
        self.r = d // 2


c = Circle(2)
print(c.area, c.diameter)
c.diameter = 10
print(c.r, c.area)
