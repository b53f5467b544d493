# Checks sys.exit(0) inside a function inside a loop stops everything with status 0.
import sys
def check(n):
    if n > 3:
        sys.exit(0)
    return n * n
for i in range(10):
    print(check(i))
print("not reached")
