# An error raised in a key function propagates out of sorted().
def inverse(x):
    return 1 / x
print(sorted([1, 2, 4], key=inverse))
print(sorted([1, 0, 2], key=inverse))
