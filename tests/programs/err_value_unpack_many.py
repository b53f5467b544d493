# Checks unpacking three values into two names raises ValueError: too many values to unpack (expected 2).
a, b = [1, 2]
print(a, b)
xs = [1, 2, 3]
a, b = xs
