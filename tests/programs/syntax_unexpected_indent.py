# Checks an indented line that opens no block is IndentationError: unexpected indent.
print("never printed")
x = 1
    y = 2
