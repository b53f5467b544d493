# Checks an unclosed bracket is SyntaxError: '(' was never closed.
print("never printed")
x = (1 + 2
y = 3
