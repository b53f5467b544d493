# Checks calling an int raises TypeError: 'int' object is not callable.
count = 3
print(count)
count()
