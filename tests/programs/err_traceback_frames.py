# Checks an error deep in nested calls, after output, ends the program with the same stdout and last line.
def level3(v):
    return v[10]
def level2(v):
    print("level2", len(v))
    return level3(v) + 1
def level1():
    xs = [1, 2, 3]
    print("level1")
    return level2(xs)
for i in range(3):
    print("iteration", i)
level1()
