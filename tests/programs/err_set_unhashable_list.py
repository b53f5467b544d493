# A list in a set display.
x = [1]
print({1, 2})
print({1, x})
