# expect: SyntaxError: nested function definitions are not supported
print("never printed: the whole file is rejected at compile time")
def outer():
    def inner():
        return 1
    return inner()
print(outer())
