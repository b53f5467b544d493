# Checks indexing an int raises TypeError: 'int' object is not subscriptable.
def first(seq):
    return seq[0]
print(first([9, 8]))
print(first("str"))
print(first(12))
