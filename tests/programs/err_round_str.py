print(round(1.5))
print(round("1.5"))
