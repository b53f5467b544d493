print(divmod(1, 2))
print(divmod(1.0, 0))
