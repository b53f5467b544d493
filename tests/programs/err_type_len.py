# Checks len() of an int raises TypeError: object of type 'int' has no len().
for v in ["ab", [1, 2, 3], 42]:
    print(len(v))
