# `obj.x`, `obj.x = v` and `obj.x += v` with obj in a local: the fused instructions must keep
# every meaning of the unfused ones -- properties, class attributes, instance attributes that
# shadow them, non-instances, side effects in the value, errors.
class Box:
    tally = 0  # class attribute, read through instances until one sets its own

    def __init__(self, v):
        self.v = v
        self._w = 0

    @property
    def w(self):
        return self._w

    @w.setter
    def w(self, value):
        print("set w", value)
        self._w = value

    def grow(self):
        self.v += self.v
        self.tally += 1  # reads the class attribute, stores an instance one
        return self.v

    def bump_then(self, amount):
        # the value's call changes the attribute before the add reads ... the old value
        self.v += self.side(amount)
        return self.v

    def side(self, amount):
        self.v = 1000
        return amount


def use(b, n):
    for _ in range(n):
        b.grow()
    b.w += 5
    b.w = b.w * 2
    return b.v, b.tally, Box.tally, b.w


b = Box(1)
print(use(b, 4))
print(Box(3).bump_then(7))


def swap(p, q):
    p.v, q.v = q.v, p.v
    return p.v, q.v


print(swap(Box("a"), Box("b")))


def on_other_types(s, lst):
    out = [s.upper(), lst.count(2)]
    try:
        s.attr = 1
    except AttributeError as e:
        out.append(str(e))
    try:
        out.append(lst.missing)
    except AttributeError as e:
        out.append(str(e))
    return out


print(on_other_types("abc", [1, 2, 2]))


def missing_attr(b):
    try:
        b.nothing += 1
    except AttributeError as e:
        print("caught", e)
    try:
        return b.absent
    except AttributeError as e:
        print("caught", e)


missing_attr(Box(0))


def unbound(flag):
    if flag:
        obj = Box(9)
    try:
        obj.v += 1
    except UnboundLocalError as e:
        print("caught", e)
    try:
        obj.v = 2
    except UnboundLocalError as e:
        print("caught", e)
    try:
        print(obj.v)
    except UnboundLocalError as e:
        print("caught", e)


unbound(False)
unbound(True)


def closure_object():
    c = Box(5)

    def inner():
        c.v += 1  # c is a cell here: the unfused form
        return c.v

    inner()
    return inner()


print(closure_object())
