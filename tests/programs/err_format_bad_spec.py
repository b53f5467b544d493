print("{:d}".format(1))
print("{:d}".format("a"))
