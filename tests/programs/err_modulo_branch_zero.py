# Checks ZeroDivisionError (with its traceback line) from `if a % b == 0:` on two locals.


def divisible(a, b):
    if a % b == 0:
        return True
    return False


print(divisible(6, 3))
print(divisible(6, 0))
