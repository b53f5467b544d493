# Checks break outside a loop is SyntaxError: 'break' outside loop.
print("never printed")
if True:
    break
