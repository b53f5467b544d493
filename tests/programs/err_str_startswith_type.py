print("abc".startswith(("a",)))
print("abc".startswith(1))
