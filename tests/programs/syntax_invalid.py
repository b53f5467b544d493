# Checks a CPython syntax error: x = = 1 is SyntaxError: invalid syntax (nothing runs).
print("never printed")
x = = 1
