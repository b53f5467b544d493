# expect: SyntaxError: class definitions are not supported
print("never printed: the whole file is rejected at compile time")
class Point:
    pass
