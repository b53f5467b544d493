# Checks a missing colon after if is SyntaxError: expected ':'.
x = 1
if x == 1
    print("never printed")
