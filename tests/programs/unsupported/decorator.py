# expect: SyntaxError: decorators are not supported
print("never printed: the whole file is rejected at compile time")
def deco(f):
    return f
@deco
def g():
    return 1
