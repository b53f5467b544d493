print("abc".strip("a"))
print("abc".strip(1))
