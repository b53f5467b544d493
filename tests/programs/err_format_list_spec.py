print("{}".format([1]))
print("{:>5}".format([1]))
