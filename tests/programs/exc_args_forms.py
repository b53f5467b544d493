# e.args whatever way it was set: by the class call (BaseException.__new__), by __init__'s
# super().__init__ with other arguments, by a second __init__ call, with no, few or many
# arguments, read before and after a change, and kept by whoever read it.
class Plain(Exception):
    pass


class Renamed(Exception):
    def __init__(self, a, b):
        super().__init__(a + b)
        self.parts = (a, b)


class Silent(Exception):
    def __init__(self, code):
        self.code = code  # no super().__init__: args stay what the call gave


print(Plain().args, Plain(1).args, Plain(1, 2, 3).args, Plain(1, 2, 3, 4, 5).args)
print(Renamed(1, 2).args, Renamed("x", "y").parts)
print(Silent(7).args, Silent(7).code, str(Silent(8)), repr(Silent(9)))
e = Plain("a", "b")
kept = e.args
e.__init__("c")
print(kept, e.args, str(e))
e.__init__(1, 2, 3, 4)
print(e.args, kept)
e.__init__()
print(e.args, repr(e), str(e) == "")
big = ValueError(*range(6))
print(big.args, len(str(big)))
try:
    raise Renamed(20, 22)
except Renamed as caught:
    print(caught.args, caught.parts, caught)
try:
    raise KeyError("missing")
except KeyError as caught:
    print(caught.args, str(caught))
for n in range(5):
    try:
        raise Plain(*range(n))
    except Plain as caught:
        print(n, caught.args)
