# Checks UnboundLocalError from `if a % b != 0:` when b is a local not yet assigned.


def odd_one(a, flag):
    if flag:
        b = 2
    if a % b != 0:
        return True
    return False


print(odd_one(5, True))
print(odd_one(5, False))
