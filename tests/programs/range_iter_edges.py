# Checks for-loops over ranges at the edges of 64-bit ints (no overflow past the last item),
# huge steps, negative steps, and a loop variable that held an object before the loop.
top = 9223372036854775807
bottom = -9223372036854775807 - 1


def items(r):
    out = []
    for i in r:
        out.append(i)
    return out


print(items(range(top - 2, top)))
print(items(range(top - 3, top, 2)))
print(items(range(bottom, bottom + 2)))
print(items(range(bottom + 2, bottom, -1)))
print(items(range(0, top, 4611686018427387904)))
print(items(range(bottom, top, top)))
print(items(range(top, bottom, bottom)))
print(items(range(5, 0, -2)), items(range(0, 5, -1)), items(range(3, 3)))
print(len(range(top - 2, top)), len(range(bottom, bottom + 5, 2)))


def loop_var_was_object():
    i = [1, 2, 3]
    total = 0
    for i in range(4):
        total += i
    return total, i


print(loop_var_was_object())
for j in range(top - 1, top):
    print("global", j)
