# Checks int('abc') raises ValueError: invalid literal for int() with base 10: 'abc'.
print(int("12") + 1)
print(int("abc"))
