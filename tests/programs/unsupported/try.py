# expect: SyntaxError: try statements are not supported
print("never printed: the whole file is rejected at compile time")
try:
    x = 1
except ValueError:
    x = 2
finally:
    x = 3
