# - with a list on the left.
print({3, 4} - {4})
print([3, 4] - {4})
