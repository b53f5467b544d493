# expect: SyntaxError: multiple inheritance is not supported
print("never printed: the whole file is rejected at compile time")


class Left:
    pass


class Right:
    pass


class Both(Left, Right):
    pass
