print("abc".partition("b"))
print("abc".partition(""))
