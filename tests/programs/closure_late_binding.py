fs = [lambda: i for i in range(3)]
print([f() for f in fs])
gs = [lambda i=i: i for i in range(3)]
print([g() for g in gs])


def make():
    out = []
    for k in range(4):
        def f():
            return k * 10
        out.append(f)
    return out

print([f() for f in make()])


def rebind():
    x = 1
    def show():
        return x
    x = 2
    return show

print(rebind()())
