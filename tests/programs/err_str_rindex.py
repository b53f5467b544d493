print("abc".rindex("a", 0, 1))
print("abc".rindex("a", 1))
