# Instance attributes across the four inline slots and the overflow block: every kind of value in
# neighbouring inline slots (their tags share bytes), deletion and re-setting in both places, an
# instance made before its class's layout grew, a Thread subclass with many attributes, and an
# exception class whose instances carry attributes beside their args.
import threading


class Mixed:
    def __init__(self):
        self.i = 7
        self.f = 2.5
        self.b = True
        self.n = None


m = Mixed()
print(m.i, m.f, m.b, m.n)
m.f = "text"
m.i = [1, 2]
m.n = 3.25
m.b = None
print(m.i, m.f, m.b, m.n)
m.i = -(2 ** 62)
m.b = False
print(m.i, m.f, m.b, m.n)
m.extra = (1, 2)
m.more = {"k": 1}
print(m.extra, m.more, m.i, m.n)

old = Mixed()
for k in range(12):
    setattr(m, "x" + str(k), k * k)
print(sum(getattr(m, "x" + str(k)) for k in range(12)), hasattr(old, "x3"))
old.x11 = "late"
print(old.x11, hasattr(old, "x10"), old.f)

del m.f
print(hasattr(m, "f"), m.i)
try:
    print(m.f)
except AttributeError as e:
    print("AttributeError:", e)
m.f = "back"
print(m.f)
del m.x5
del m.extra
print(hasattr(m, "x5"), hasattr(m, "extra"), m.x6, m.more)
m.x5 = "five"
m.extra = m
print(m.x5, m.extra is m)
m.extra = None
try:
    del m.x5
    del m.x5
except AttributeError as e:
    print("AttributeError:", e)


class Many:
    def __init__(self, n):
        for k in range(n):
            setattr(self, "a" + str(k), str(k))

    def total(self):
        return sum(int(getattr(self, "a" + str(k))) for k in range(40))


objs = [Many(40) for _ in range(3)]
print(objs[0].total(), objs[2].a39, objs[1].a3)
objs[1].a3 = objs[0]
objs[0].a39 = objs[1]
print(objs[1].a3.a0, objs[0].a39.a2)
objs[1].a3 = 0  # no cycle left behind
objs = None


class Worker(threading.Thread):
    def __init__(self, k):
        super().__init__()
        self.k = k
        self.a = 1
        self.b = 2
        self.c = 3
        self.d = 4
        self.e = 5

    def run(self):
        self.result = self.k * (self.a + self.b + self.c + self.d + self.e)


class Small(threading.Thread):
    def __init__(self):
        super().__init__(name="small")
        self.v = 1

    def run(self):
        self.v += 1


ws = [Worker(k) for k in range(3)]
for w in ws:
    w.start()
for w in ws:
    w.join()
print([w.result for w in ws], ws[1].is_alive())
s = Small()
print(s.name, s.v)
s.start()
s.join()
print(s.name, s.v)


class AppError(Exception):
    def __init__(self, code, where):
        super().__init__(code, where)
        self.code = code
        self.where = where
        self.a = self.b = self.c = 0


try:
    raise AppError(42, "here")
except AppError as e:
    print(e.args, e.code, e.where, e.a, str(e))
    e.d = "d"
    print(e.d, repr(e))
