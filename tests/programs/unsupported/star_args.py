# expect: SyntaxError: *args and **kwargs are not supported
print("never printed: the whole file is rejected at compile time")
def f(*args, **kwargs):
    return len(args)
print(f(1, 2))
