# Checks an unterminated string literal is a SyntaxError.
print("never printed")
s = 'abc
print(s)
