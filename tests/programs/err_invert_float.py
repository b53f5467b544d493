# ~ of a float.
print(~7)
print(~7.5)
