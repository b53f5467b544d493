# Checks a dedent to a column that matches no outer level is IndentationError: unindent does not match.
if True:
        x = 1
    y = 2
print("never printed")
