# Sorting values that cannot be ordered against each other.
print(sorted([3, 1]))
print(sorted([1, "a"]))
