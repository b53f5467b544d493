def outer():
    def inner(a):
        return a
    return inner

outer()(1, 2)
