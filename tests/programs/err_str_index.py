print("abc".index("c"))
print("abc".index("d"))
