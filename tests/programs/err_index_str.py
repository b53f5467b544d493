# Checks an out-of-range str index raises IndexError: string index out of range.
s = "abc"
print(s[-1])
print(s[-4])
