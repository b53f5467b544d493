# Checks a file that is not UTF-8 names itself in the error as CPython does: by its absolute path.
print("never printed")
x = "ÿ"
