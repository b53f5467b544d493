# A closure: the counter's `count` is a cell (MAKE_FUNCTION + LOAD_CLOSURE + SET_CLOSURE, then
# LOAD_DEREF / STORE_DEREF in both functions); keyword-only defaults (SET_KWDEFAULTS); a
# decorator applied with CALL; and a call with *args and **kwargs (LIST_EXTEND, DICT_MERGE,
# CALL_EX).
def counter(start, *, step=1):
    count = start

    def bump():
        nonlocal count
        count += step
        return count

    return bump


def twice(f):
    return lambda: (f(), f())


@twice
def hello():
    return "hi"


c = counter(10, step=5)
print(c(), c(), hello())
args = [1]
print(*args, **{"sep": "-"})
