# Checks int + str raises TypeError: unsupported operand type(s) for +: 'int' and 'str'.
total = 0
for v in [1, 2, "3"]:
    total = total + v
    print(total)
