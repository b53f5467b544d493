# Moved from unsupported/: *args and **kwargs are supported now.
def f(*args, **kwargs):
    return len(args) + len(kwargs)


print(f(1, 2, k=3))
