print("x", file=None)
print("x", file=1)
