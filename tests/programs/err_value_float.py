# Checks float('abc') raises ValueError: could not convert string to float: 'abc'.
print(float("1.25"))
print(float("abc"))
