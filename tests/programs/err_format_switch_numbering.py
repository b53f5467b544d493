print("{0}{0}".format(1))
print("{0}{}".format(1, 2))
