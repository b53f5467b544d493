print("abc".find("b"))
print("abc".find(1))
