# Checks unpacking two values into three names raises ValueError: not enough values to unpack (expected 3, got 2).
def pair():
    return 1, 2
p, q = pair()
print(p, q)
a, b, c = pair()
