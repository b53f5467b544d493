# any() and all() short-circuit on the first deciding item.
print(any([]), all([]), any([0, 0.0, "", None]), all([1, "a", [0]]), any("a"), all(""))
def gen(items):
    for x in items:
        print("yield", x)
        yield x
print(any(gen([0, 1, 2])))
print(all(gen([1, 0, 2])))
print(any(map(bool, [0, 0])))
print(all(range(1, 5)), all(range(0, 5)), any(range(0)), any({0: 1}), all({1: 0}))
