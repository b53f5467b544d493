# Checks int // 0 raises ZeroDivisionError: integer division or modulo by zero.
xs = [4, 2, 1, 0]
for d in xs:
    print(100 // d)
