class Watch:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        print("exit saw", t.__name__ if t else None, v)
        return False
try:
    with Watch():
        raise ValueError("inside")
except ValueError as e:
    print("propagated", e)
class Suppress:
    def __init__(self, kind):
        self.kind = kind
    def __enter__(self):
        return None
    def __exit__(self, t, v, tb):
        return t is not None and issubclass(t, self.kind)
with Suppress(ZeroDivisionError):
    1 / 0
    print("not reached")
print("suppressed")
try:
    with Suppress(KeyError):
        int("nope")
except ValueError as e:
    print("not suppressed", e)
