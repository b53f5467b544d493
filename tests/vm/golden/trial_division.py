# The workload's factorize generator: a for loop whose body ends in `if n % i == 0:`, so the
# compiler keeps the if's body after the loop and the usual iteration falls through to the back
# edge; a search loop with break and for-else ends the same way.
def factorize(number):
    for i in range(1, number + 1):
        if number % i == 0:
            yield i


def find(items, target):
    for item in items:
        if item == target:
            break
    else:
        return False
    return True


print(list(factorize(12)), find([1, 2], 2))
