print(pow(2, 3, 5))
print(pow(2, 3, 0))
