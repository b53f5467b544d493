s = "abc"
print(s[::-1])
del s[0:1]
