# Checks str * str raises TypeError: can't multiply sequence by non-int of type 'str'.
print("ab" * 2)
print("ab" * "2")
