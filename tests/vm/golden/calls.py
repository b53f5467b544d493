# Keyword calls (CALL_KW with a tuple of names), method calls (LOAD_METHOD / CALL_METHOD) and
# defaults (MAKE_FUNCTION with defaults on the stack).
def scale(x, factor=2, offset=0):
    return x * factor + offset


items = []
items.append(scale(1))
items.append(scale(2, offset=1))
items.append(scale(3, factor=10, offset=5))
print(" ".join(["a", "b"]), items, sep=" | ", end="\n")
