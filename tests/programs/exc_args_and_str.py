for e in [ValueError(), ValueError("a"), ValueError("a", 2), KeyError("k"), KeyError(1, 2), OSError("disk")]:
    try:
        raise e
    except Exception as caught:
        print(type(caught).__name__, caught.args, str(caught), caught is e)
class Custom(Exception):
    def __str__(self):
        return "custom text"
try:
    raise Custom(1, 2)
except Custom as c:
    print(c, c.args)
