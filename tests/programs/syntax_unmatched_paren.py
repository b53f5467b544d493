# Checks a stray closing bracket is SyntaxError: unmatched ')'.
print("never printed")
x = 1 + 2)
