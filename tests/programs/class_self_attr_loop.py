class Walker:
    def __init__(self):
        self.pos = 0
        self.steps = 0

    def walk(self, n):
        i = 0
        while i < n:
            self.pos += 2
            self.steps = self.steps + 1
            i += 1
        return self.pos


w = Walker()
print(w.walk(1000), w.steps)
v = Walker()
v.pos = 5
print(v.walk(3), w.walk(1))
