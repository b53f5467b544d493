# Checks if/elif/else chains, nested ifs and truthiness of different values as conditions.
def classify(n):
    if n < 0:
        return "neg"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "big"
for n in [-5, 0, 3, 10, 99]:
    print(n, classify(n))
for v in [0, 1, "", "a", [], [0], (), (1,), None, 0.0, 2.5, b"", b"x"]:
    if v:
        print("truthy", v)
    else:
        print("falsy", v)
x = 5
if x > 3:
    if x > 4:
        print("x > 4")
    else:
        print("3 < x <= 4")
if x == 1:
    print("one")
elif x == 5:
    print("five")
if x != 5:
    print("unreachable")
print("end")
