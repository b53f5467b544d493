# Checks ordering int against str raises TypeError: '<' not supported between instances of 'int' and 'str'.
print(1 < 2, "a" < "b")
print(1 == "1")
print(1 < "2")
