print(list(reversed([1])))
print(reversed(5))
