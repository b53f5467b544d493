# with: __exit__ is called on the normal path, on return through it, and by the handler.
class Guard:
    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        return False


def use(g):
    with g as x, Guard():
        if x is None:
            return 1
        print(x is g)
    return 0


print(use(Guard()))
