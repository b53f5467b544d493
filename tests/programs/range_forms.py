# Checks range(stop), range(start, stop) and range(start, stop, step) incl. negative steps and empty ranges.
print(list(range(5)), list(range(0)), list(range(-3)))
print(list(range(2, 6)), list(range(6, 2)), list(range(-3, 2)))
print(list(range(0, 10, 3)), list(range(10, 0, -3)), list(range(5, -5, -2)))
print(list(range(1, 2, 5)), list(range(0, 10, -1)), list(range(3, 3)))
for i in range(3):
    print("i", i)
for i in range(10, 7, -1):
    print("down", i)
print(sum(range(101)), sum(range(10, 0, -1)), sum(range(0)))
print(max(range(7)), min(range(4, 9)))
print(tuple(range(4)))
r = range(3)
print(list(r), list(r))
n = 0
for i in range(1000000):
    if i == 5:
        break
    n += i
print(n)
total = 0
for i in range(-2, 3):
    total += i * i
print(total)
