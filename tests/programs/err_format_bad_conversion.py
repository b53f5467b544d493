print("{!r}".format(1))
print("{!x}".format(1))
