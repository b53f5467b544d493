# Moved from unsupported/: nonlocal is supported now, and in a top-level function it has no
# enclosing binding, which CPython rejects at compile time.
print("never printed: the whole file is rejected at compile time")
x = 1


def f():
    nonlocal x
    x = 2
