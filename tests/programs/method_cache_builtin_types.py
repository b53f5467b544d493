# One LOAD_METHOD site that sees several built-in types in turn: its cache word must follow the
# type (and a type without the method still gets its AttributeError).
def f(objs):
    out = []
    for o in objs:
        out.append(o.count(1))   # same site: list, tuple, str? str.count needs str
    return out
print(f([[1, 1, 2], (1, 2), [3]]))
def g(objs):
    r = []
    for o in objs:
        try:
            r.append(o.get(1, "d"))
        except AttributeError as e:
            r.append(str(e))
    return r
print(g([{1: "a"}, {}, [1], {1: 2}]))
