# Checks for loops over lists, tuples, str, range and generator, with tuple targets on tuple items.
for x in [1, 2, 3]:
    print("list", x)
for x in (4, 5):
    print("tuple", x)
for ch in "hey":
    print("str", ch)
for i, name in [(0, "zero"), (1, "one"), (2, "two")]:
    print(i, name)
for a, b in ((1, 2), (3, 4)):
    print(a * b)
for k, v in [("x", 1.5), ("y", None)]:
    print(k, v)
def pairs(n):
    for i in range(n):
        yield i, i * i
for n, sq in pairs(4):
    print(n, sq)
total = 0
for i in range(5):
    for j in range(i):
        if j == 2:
            break
        total += j
print(total)
for x in []:
    print("never")
x = "kept"
for x in range(3):
    pass
print(x)
