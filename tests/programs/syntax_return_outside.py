# Checks return at module level is SyntaxError: 'return' outside function.
print("never printed")
return 5
