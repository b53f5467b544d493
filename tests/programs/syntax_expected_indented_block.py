# Checks a block header with no indented body is IndentationError: expected an indented block.
print("never printed")
def f():
return 1
