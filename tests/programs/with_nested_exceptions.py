class Tag:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow
    def __enter__(self):
        print("<" + self.name + ">")
        return self
    def __exit__(self, t, v, tb):
        print("</" + self.name + ">", t.__name__ if t else "ok")
        return self.swallow
with Tag("outer", swallow=True):
    with Tag("inner"):
        raise IndexError("deep")
print("after")
def f():
    for i in range(3):
        with Tag("t" + str(i)):
            try:
                if i == 1:
                    raise ValueError(i)
            except ValueError:
                print("handled inside with")
                continue
            print("body", i)
f()
