class Temp:
    def __init__(self):
        self._c = 0
        self.log = []

    @property
    def c(self):
        self.log.append("get")
        return self._c

    @c.setter
    def c(self, v):
        self.log.append("set " + str(v))
        self._c = v

    @property
    def f(self):
        return self.c * 9 // 5 + 32


t = Temp()
t.c = 100
print(t.f, t.c)
t.c += 5
print(t.c, t.log)
