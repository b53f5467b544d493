# An unbound local read for its attribute: UnboundLocalError, as CPython words it.
class P:
    def __init__(self):
        self.x = 1


def f(make):
    if make:
        p = P()
    return p.x


print(f(True))
print(f(False))
