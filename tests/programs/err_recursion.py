# Checks unbounded recursion raises RecursionError: maximum recursion depth exceeded.
def down(n):
    return down(n + 1) + 1
print("start")
down(0)
