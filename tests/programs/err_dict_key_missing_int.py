# A missing int key, in a function.
def lookup(d, k):
    return d[k]
print(lookup({2: 'two'}, 2))
print(lookup({2: 'two'}, 1))
