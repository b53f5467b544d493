# The classic GIL benchmark loop: a fused compare-and-branch at both ends of the while.
def countdown(n):
    while n > 0:
        n -= 1
    return n


print(countdown(100000))
