class Bad:
    def __enter__(self):
        raise RuntimeError("enter failed")
    def __exit__(self, t, v, tb):
        print("exit must not run")
try:
    with Bad():
        print("body must not run")
except RuntimeError as e:
    print("caught", e)
class ExitRaises:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        raise KeyError("from exit")
try:
    with ExitRaises():
        raise ValueError("body")
except KeyError as e:
    print("exit error wins", e, type(e.__context__).__name__)
