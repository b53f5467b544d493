print(sorted([1], keys=len))
