@5
def f():
    pass
