def a(n):
    return b(n) + 1
def b(n):
    return c(n) * 2
def c(n):
    if n < 0:
        raise ValueError("negative: " + str(n))
    return n
for n in [3, -1]:
    try:
        print(a(n))
    except ValueError as e:
        print("caught", e)
def deep(n):
    if n == 0:
        raise LookupError("bottom")
    return deep(n - 1)
try:
    deep(50)
except LookupError as e:
    print(e)
