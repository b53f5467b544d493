# del of a local that has no value.
def f():
    x = 1
    del x
    del x
f()
